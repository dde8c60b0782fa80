import Foundation
import Testing

@testable import EngramCore

/// The secret and `<private>` probes that once reached disk, as a table: each shape must be redacted (or
/// dropped) and the text around it kept; the harmless shapes beside them must come back unchanged. The counts
/// are printed so a CI log shows how much of the corpus ran.
@Suite struct SecretProbeTests {
    let filter = PrivacyFilter()

    /// Fake credentials assembled from pieces, so no real-looking key sits in the repository.
    enum Fake {
        static let awsSecret = "wJalrXUtnFEMI" + "/K7MDENG/bPxRfiCYEXAMPLEKEY"
        static let awsID = "AK" + "IA" + "IOSFODNN7EXAMPLE"
        static let pw = "S3cr" + "etPw9x"
        static let slackPath = "T0" + "1ABCDEF/B02ABCDEF/" + "abcDEF123ghiJKL456mnoPQR"
        static let discordPath = "12345678" + "90123456/" + "AbCdEfGh_IjKlMnOp-QrStUvWxYz0123456789"
        static let telegram = "123456" + ":ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
    }

    struct Probe: CustomTestStringConvertible, Sendable {
        var name: String
        var input: String
        /// Text that must not survive.
        var secrets: [String]
        /// Text that must survive.
        var keeps: [String] = []
        var testDescription: String { name }
    }

    static let secrets: [Probe] = [
        Probe(
            name: "aws configure, space separated", input: "aws configure set aws_secret_access_key \(Fake.awsSecret)",
            secrets: [Fake.awsSecret], keeps: ["aws configure set aws_secret_access_key "]),
        Probe(name: "key then value, tab", input: "api_key\t\(Fake.pw)", secrets: [Fake.pw]),
        Probe(name: "flag with separate value", input: "deploy --password \(Fake.pw) --yes", secrets: [Fake.pw], keeps: ["--yes"]),
        Probe(name: "flag with =", input: "deploy --password=\(Fake.pw)", secrets: [Fake.pw]),
        Probe(name: "mysql -p attached", input: "mysql -u root -p\(Fake.pw) appdb", secrets: [Fake.pw], keeps: ["appdb", "-u root"]),
        Probe(name: "mysql -p quoted", input: "mysqldump -uroot -p'\(Fake.pw)' appdb", secrets: [Fake.pw], keeps: ["appdb"]),
        Probe(name: "PGPASSWORD", input: "PGPASSWORD=\(Fake.pw) psql -h db app", secrets: [Fake.pw], keeps: ["psql -h db app"]),
        Probe(name: "redis-cli -a", input: "redis-cli -h cache -a \(Fake.pw) ping", secrets: [Fake.pw], keeps: ["ping"]),
        Probe(name: "sshpass -p", input: "sshpass -p \(Fake.pw) ssh deploy@host", secrets: [Fake.pw], keeps: ["ssh deploy@host"]),
        Probe(
            name: "curl -u user:pass", input: "curl -u admin:\(Fake.pw) https://api.example.com", secrets: [Fake.pw],
            keeps: ["admin:", "https://api.example.com"]),
        Probe(name: "curl --user", input: "curl --user admin:\(Fake.pw) https://x.example", secrets: [Fake.pw]),
        Probe(name: "value on the next line after =", input: "password =\n\(Fake.pw)\nnext = 1", secrets: [Fake.pw], keeps: ["next = 1"]),
        Probe(name: "value on the next line after :", input: "db_password:\n  \(Fake.pw)\n", secrets: [Fake.pw]),
        Probe(name: "key alone, value on the next line", input: "password\n\(Fake.pw)\n", secrets: [Fake.pw]),
        Probe(
            name: "AWS secret split across two lines", input: "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG\nbPxRfiCYEXAMPLEKEY\n",
            secrets: ["wJalrXUtnFEMI/K7MDENG", "bPxRfiCYEXAMPLEKEY"]),
        Probe(
            name: "AWS access key split across two lines", input: "id: AKIAIOSFOD\nNN7EXAMPLE done", secrets: ["IOSFOD", "NN7EXAMPLE"],
            keeps: ["done"]),
        Probe(
            name: "quoted secret wrapped onto the next line", input: "API_KEY=\"Ab3dEf6hIj9kLm2n\nOp5qRs8tUv1wXy4z\"",
            secrets: ["Ab3dEf6hIj9kLm2n", "Op5qRs8tUv1wXy4z"]),
        Probe(
            name: "prose: my db password is X", input: "my db password is Tr0ub4dor&3, please use it", secrets: ["Tr0ub4dor", "&3"],
            keeps: ["please use it"]),
        Probe(name: "prose: letters-only passphrase", input: "the wifi password is correcthorsebattery.", secrets: ["correcthorsebattery"]),
        Probe(name: "prose: token was", input: "my github token was abc123def456ghi", secrets: ["abc123def456ghi"]),
        Probe(
            name: "Slack webhook", input: "curl -X POST https://hooks.slack.com/services/\(Fake.slackPath) -d x",
            secrets: [Fake.slackPath, "abcDEF123ghiJKL456mnoPQR"], keeps: ["https://hooks.slack.com/services/", " -d x"]),
        Probe(name: "Discord webhook", input: "url = https://discord.com/api/webhooks/\(Fake.discordPath)", secrets: [Fake.discordPath]),
        Probe(
            name: "Teams webhook", input: "https://acme.webhook.office.com/webhookb2/aaaa-bbbb@cccc-dddd/IncomingWebhook/eeee1111/ffff",
            secrets: ["aaaa-bbbb@cccc-dddd/IncomingWebhook/eeee1111"]),
        Probe(name: "Telegram bot", input: "https://api.telegram.org/bot\(Fake.telegram)/sendMessage", secrets: [Fake.telegram]),
        Probe(name: "JSON member with secret key", input: #"{"client_secret": "\#(Fake.pw)"}"#, secrets: [Fake.pw]),
    ]

    static let privates: [Probe] = [
        Probe(
            name: "nested", input: "a <private>x <private>y</private> TAIL</private> b", secrets: ["x ", "y", "TAIL", "</private>"],
            keeps: ["a ", " b"]),
        Probe(name: "attributes", input: "a <private reason=\"x\">hidden</private> b", secrets: ["hidden", "reason"], keeps: ["a ", " b"]),
        Probe(name: "whitespace in tags", input: "a < private >hidden</ private > b", secrets: ["hidden"], keeps: ["a ", " b"]),
        Probe(name: "any case", input: "a <PrIvAtE>hidden</pRiVaTe> b", secrets: ["hidden"], keeps: ["a ", " b"]),
        Probe(name: "newline inside the tag", input: "a <private\n>hidden</private\n> b", secrets: ["hidden"], keeps: ["a ", " b"]),
        Probe(name: "unclosed drops to the end", input: "a <private>hidden\nand more", secrets: ["hidden", "and more"], keeps: ["a "]),
        Probe(
            name: "unclosed nested drops to the end", input: "a <private>x <private>y</private> still hidden", secrets: ["still hidden"],
            keeps: ["a "]),
        Probe(name: "attribute holding >", input: "a <private note=\"1>2\">hidden</private> b", secrets: ["hidden"], keeps: [" b"]),
        Probe(name: "two spans", input: "<private>one</private> mid <private>two</private> end", secrets: ["one", "two"], keeps: [" mid ", " end"]),
    ]

    static let harmless: [String] = [
        "return token\ncounter2 = 1",
        "if password is None:\n    raise ValueError()",
        "if token is self.token:",
        "the password is required",
        "password field is empty",
        "class Foo:\n    pass\n    x2 = 1",
        "mkdir -p build/out2",
        "ssh -p 2222 deploy@host",
        "pip install -U secret-sauce",
        "the auth flow uses tokens",
        "secret sauce recipe",
        "curl -u admin https://x.example",
        "credentials:\n  user: app\n",
        "<privateer>ahoy</privateer>",
        "a </private> stray close stays",
        "the api_key expired yesterday",
        "use redis-cli -a",
        "pass the token to validate_token(token2)",
    ]

    @Test(arguments: secrets)
    func secretShapesAreRedacted(_ p: Probe) {
        let out = filter.clean(p.input)
        for s in p.secrets { #expect(!out.contains(s), "\(p.name): \(s) leaked in \(out)") }
        for k in p.keeps { #expect(out.contains(k), "\(p.name): lost \(k) in \(out)") }
        #expect(out.contains("[REDACTED:"), "\(p.name): \(out)")
    }

    @Test(arguments: privates)
    func privateShapesAreDropped(_ p: Probe) {
        let out = filter.clean(p.input)
        for s in p.secrets { #expect(!out.contains(s), "\(p.name): \(s) survived in \(out)") }
        for k in p.keeps { #expect(out.contains(k), "\(p.name): lost \(k) in \(out)") }
    }

    @Test(arguments: harmless)
    func harmlessShapesAreKept(_ text: String) {
        #expect(filter.clean(text) == text)
    }

    @Test func corpusSize() {
        print("probe corpus: \(Self.secrets.count) secret shapes, \(Self.privates.count) private shapes, \(Self.harmless.count) harmless shapes")
        #expect(Self.secrets.count >= 20 && Self.privates.count >= 8)
    }
}
