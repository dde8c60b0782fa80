import EngramDemo
import Foundation
import Testing

@testable import EngramCore

/// Fake credentials are assembled here from pieces so no real-looking key sits in the repository.
private enum Fake {
    static let body40 = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0h"
    static let anthropic = "sk-" + "ant-" + "api03-" + body40
    static let openai = "sk-" + "proj-" + body40
    static let openaiLegacy = "sk-" + body40
    static let awsID = "AK" + "IA" + "IOSFODNN7EXAMPLE"
    static let awsSecret = "wJalrXUtnFEMI" + "/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let github = "gh" + "p_" + body40
    static let githubPat = "github" + "_pat_" + "11ABCDEFG0" + "_" + body40
    static let gitlab = "gl" + "pat-" + "xY7zW3vU9tS5rQ1pO2nM"
    static let slack = "xo" + "xb-" + "1234567890-0987654321-" + "AbCdEfGhIjKl"
    static let stripe = "sk" + "_live_" + "51HqLyjWDarjtT1zdp7dc" + "AbCd"
    static let stripeRestricted = "rk" + "_live_" + "51HqLyjWDarjtT1zdp7dc"
    static let google = "AI" + "za" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
    static let hf = "hf" + "_" + "AbCdEfGhIjKlMnOpQrStUvWxYz012345"
    static let npm = "np" + "m_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    static let jwt =
        "ey" + "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "ey" + "JzdWIiOiIxMjM0NTY3ODkwIn0" + "."
        + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    static let bearerToken = "abc123DEF456ghi789JKL"
    static let pem = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1b2c3d4\nq9r8s7t6u5v4\n-----END " + "RSA PRIVATE KEY-----"
}

struct PrivacyFilterTests {
    let filter = PrivacyFilter()

    struct Case: CustomTestStringConvertible, Sendable {
        var input: String
        var secret: String
        var kind: String
        var keeps: [String] = []
        var testDescription: String { kind + ": " + input.prefix(30) }
    }

    static let secretCases: [Case] = [
        Case(input: "export ANTHROPIC_KEY_X=\(Fake.anthropic)", secret: Fake.anthropic, kind: "anthropic_key"),
        Case(input: "key is \(Fake.anthropic) ok", secret: Fake.anthropic, kind: "anthropic_key", keeps: ["key is", " ok"]),
        Case(
            input: "client = OpenAI(api_key=\"\(Fake.openai)\")", secret: Fake.openai, kind: "openai_key",
            keeps: ["client = OpenAI(api_key=\""]),
        Case(input: "using \(Fake.openaiLegacy)\n", secret: Fake.openaiLegacy, kind: "openai_key"),
        Case(input: "aws id \(Fake.awsID) here", secret: Fake.awsID, kind: "aws_access_key"),
        Case(
            input: "aws_secret_access_key = \(Fake.awsSecret)", secret: Fake.awsSecret, kind: "aws_secret_key",
            keeps: ["aws_secret_access_key = "]),
        Case(input: "git clone https://\(Fake.github)@github.com/x/y", secret: Fake.github, kind: "github_token"),
        Case(input: "token: \(Fake.githubPat)", secret: Fake.githubPat, kind: "github_token"),
        Case(input: "GITLAB=\(Fake.gitlab)", secret: Fake.gitlab, kind: "gitlab_token"),
        Case(input: "slack \(Fake.slack)", secret: Fake.slack, kind: "slack_token"),
        Case(input: "stripe.api_key = '\(Fake.stripe)'", secret: Fake.stripe, kind: "stripe_key"),
        Case(input: "rk \(Fake.stripeRestricted)", secret: Fake.stripeRestricted, kind: "stripe_key"),
        Case(
            input: "https://maps.example.com/?key=\(Fake.google)&q=1", secret: Fake.google, kind: "google_api_key",
            keeps: ["&q=1"]),
        Case(input: "HF \(Fake.hf)", secret: Fake.hf, kind: "huggingface_token"),
        Case(input: "//registry.npmjs.org/:_authToken=\(Fake.npm)", secret: Fake.npm, kind: "npm_token"),
        Case(
            input: "curl -H 'Authorization: Bearer \(Fake.bearerToken)' https://api.example.com",
            secret: Fake.bearerToken, kind: "bearer_token", keeps: ["Authorization: Bearer ", "https://api.example.com"]),
        Case(input: "cookie=\(Fake.jwt);", secret: Fake.jwt, kind: "jwt"),
        Case(input: "id_token \(Fake.jwt)", secret: Fake.jwt, kind: "jwt"),
        Case(input: "key:\n\(Fake.pem)\ndone", secret: "MIIEpAIBAAKCAQEA1b2c3d4", kind: "private_key", keeps: ["done"]),
        Case(
            input: "DATABASE_URL=postgres://admin:S3cr3tPw@db.internal:5432/app", secret: "S3cr3tPw",
            kind: "url_password", keeps: ["postgres://admin:", "@db.internal:5432/app"]),
        Case(input: "DATABASE_PASSWORD=hunter22", secret: "hunter22", kind: "password", keeps: ["DATABASE_PASSWORD="]),
        Case(input: "export DB_PASS=correcthorse", secret: "correcthorse", kind: "password"),
        Case(input: #"{"password": "p@ssw0rd!"}"#, secret: "p@ssw0rd!", kind: "password", keeps: [#"{"password": ""#]),
        Case(input: "client_secret: 9f8e7d6c5b4a", secret: "9f8e7d6c5b4a", kind: "secret"),
        Case(input: "let apiKey = \"q8w7e6r5t4y3\"", secret: "q8w7e6r5t4y3", kind: "secret"),
        Case(input: "SECRET_KEY='django-insecure-x8y7z6'", secret: "django-insecure-x8y7z6", kind: "secret"),
        Case(input: "GITHUB_TOKEN=abcdef123456", secret: "abcdef123456", kind: "secret"),
        Case(input: #"echo \"api_key\": \"zz9yy8xx7\""#, secret: "zz9yy8xx7", kind: "secret"),
        Case(
            input: "Authorization: Basic dXNlcjpodW50ZXIyMg==\r\nHost: x", secret: "dXNlcjpodW50ZXIyMg==", kind: "secret",
            keeps: ["Authorization: Basic ", "\r\nHost: x"]),
        Case(
            input: #"{"headers": {"Authorization": "Bearer \#(Fake.bearerToken)"}}"#, secret: Fake.bearerToken,
            kind: "bearer_token", keeps: [#""Authorization": "Bearer "#]),
        Case(
            input: "os.environ[\"API_KEY\"] = \"k3y-v4lue-x\"", secret: "k3y-v4lue-x", kind: "secret",
            keeps: ["os.environ[\"API_KEY\"] = \""]),
        Case(input: "export db_password=plainword", secret: "plainword", kind: "password"),
        Case(input: "password=first1\r\nuser=bob", secret: "first1", kind: "password", keeps: ["\r\nuser=bob"]),
    ]

    @Test(arguments: secretCases)
    func redactsSecret(_ c: Case) {
        let out = filter.clean(c.input)
        #expect(!out.contains(c.secret), "leaked in: \(out)")
        #expect(out.contains("[REDACTED:\(c.kind)]"), "got: \(out)")
        for k in c.keeps { #expect(out.contains(k), "lost \(k) in: \(out)") }
    }

    static let harmless: [String] = [
        "token_count = 5",
        "max_tokens: 4096",
        "refresh_token = self._make_token(user)",
        "def refresh_token(self, token: str) -> str:",
        "password = settings.db_password",
        "PASSWORD=$DB_PASSWORD",
        "password: \"\"",
        "api_key = None",
        "auth_url = \"https://example.com/login\"",
        "primary_key = \"user_id\"",
        "the task-runner-and-build-system-helper works",
        "Bearer tokens are short-lived",
        "see https://example.com:8080/path?q=1",
        "x == token",
        "ssh git@github.com",
        "export PATH=/usr/local/bin:$PATH",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "héllo wörld — ünïcode stays",
    ]

    @Test(arguments: harmless)
    func keepsHarmlessText(_ text: String) {
        #expect(filter.clean(text) == text)
    }

    @Test func dropsPrivateSpans() {
        let text = "start <private>secret one</private> middle <PRIVATE>line a\nline b</Private> end"
        #expect(filter.clean(text) == "start  middle  end")
    }

    @Test func unclosedPrivateDropsTheRest() {
        #expect(filter.clean("keep this <private>and drop\nall of this") == "keep this ")
    }

    @Test func privateSpanBeforeSecretStillRedacts() {
        let text = "<private>x</private>key=\(Fake.anthropic)"
        #expect(filter.clean(text) == "key=[REDACTED:anthropic_key]")
    }

    @Test func unterminatedPrivateKeyBlockFailsClosed() {
        let text = "-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nmore"
        #expect(filter.clean(text) == "[REDACTED:private_key]")
    }

    @Test func severalSecretsInOneText() {
        let text = "a=\(Fake.github) b=\(Fake.awsID) c=\(Fake.slack)"
        let out = filter.clean(text)
        #expect(out == "a=[REDACTED:github_token] b=[REDACTED:aws_access_key] c=[REDACTED:slack_token]")
    }

    @Test func cleansJSONRecursively() throws {
        let value: JSONValue = [
            "command": .string("export OPENAI=\(Fake.openai)"),
            "nested": ["list": [.string("<private>hidden</private>shown"), 42, true]],
            "password": "hunter22",
            "apiKey": "k9j8h7g6f5",
            "token_count": "12345",
            "max_tokens": 100,
        ]
        let out = filter.clean(value)
        #expect(out["command"] == .string("export OPENAI=[REDACTED:openai_key]"))
        #expect(out["nested"]?["list"] == [.string("shown"), 42, true])
        #expect(out["password"] == .string("[REDACTED:password]"))
        #expect(out["apiKey"] == .string("[REDACTED:secret]"))
        #expect(out["token_count"] == .string("12345"))
        #expect(out["max_tokens"] == 100)
    }

    @Test func extraPatternsRedactAsCustom() throws {
        let f = try PrivacyFilter(extraPatterns: ["ACME-[0-9]{6}"])
        #expect(f.clean("ticket ACME-123456 done") == "ticket [REDACTED:custom] done")
        #expect(throws: (any Error).self) { try PrivacyFilter(extraPatterns: ["(unclosed"]) }
    }

    /// Realistic code and tool output, raw and JSON-escaped, loses nothing but literal keys.
    @Test func demoSessionKeepsItsCode() throws {
        let payloads =
            DemoSession.yesterdayPayloads(projectDir: "/Users/dev/x", sessionID: "y", transcriptPath: "/t.jsonl")
            + DemoSession.hookPayloads(projectDir: "/Users/dev/x", sessionID: "s", transcriptPath: "/t.jsonl")
        for p in payloads {
            let cleanedText = filter.clean(p.json)
            _ = try JSONValue.parse(cleanedText) // still valid JSON
            let markers = cleanedText.components(separatedBy: "[REDACTED:").dropFirst().map { $0.prefix(while: { $0 != "]" }) }
            #expect(markers.allSatisfy { $0 == "secret" }, "\(p.event): \(markers)")
            // Only the test suite's literal signing key is redacted, nothing around it.
            #expect(cleanedText.count >= p.json.count - markers.count * 40)
        }
    }

    @Test func largeTextWithoutSecretsComesBackUnchanged() {
        let line = "def handler(request: Request) -> Response:  # token_count = 5, see http://x.y/z\n"
        let text = String(repeating: line, count: 3000)
        #expect(filter.clean(text) == text)
    }
}
