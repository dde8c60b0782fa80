import Foundation
import Testing

@testable import EngramModel

@Test func jsonRoundTrip() throws {
    let v = try JSONValue.parse(#"{"a":[1,true,null,"x\n"],"b":2.5}"#)
    #expect(v["a"]?[1] == .bool(true))
    #expect(v.serialized() == #"{"a":[1,true,null,"x\n"],"b":2.5}"#)
}

/// The byte-level parser against Foundation's JSONSerialization on the same documents.
@Suite struct JSONParserTests {
    /// Foundation's reading of a document, as a JSONValue (booleans told apart from numbers by objCType).
    static func reference(_ text: String) throws -> JSONValue {
        func convert(_ any: Any) -> JSONValue {
            switch any {
            case is NSNull: return .null
            case let s as String: return .string(s)
            case let n as NSNumber: return String(cString: n.objCType) == "c" ? .bool(n.boolValue) : .number(n.doubleValue)
            case let a as [Any]: return .array(a.map(convert))
            case let o as [String: Any]: return .object(o.mapValues(convert))
            default: return .null
            }
        }
        return convert(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
    }

    @Test(arguments: [
        #"{}"#, #"[]"#, #"  {"a" : [ 1 , 2 ] }  "#, #""plain""#, "42", "-0", "3.25e-2", "1E+3", "true", "null",
        #"{"esc":"quote \" backslash \\ slash \/ \b\f\n\r\t"}"#, #"{"u":"\u00e9\u4e2d\ud83d\ude00"}"#,
        #"{"nested":{"a":[{"b":[[],{}]}],"c":-12.5}}"#, #"["é", "中文", "🙂", ""]"#,
        #"{"big":12345678901234567890,"small":1e-300,"int":9007199254740993}"#,
        #"{"dup":1,"dup":2}"#,
    ])
    func readsWhatFoundationReads(_ text: String) throws {
        #expect(try JSONValue.parse(text) == Self.reference(text))
    }

    @Test(arguments: [
        "", "not json", "{", "[1,]", #"{"a":1,}"#, #"{"a" 1}"#, "01", "1.", ".5", "-", "1e", "tru", "nul",
        #""unterminated"#, "\"tab\there\"", #""bad \x escape""#, #""\u12G4""#, "[1] 2", "{a:1}", "'single'",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: (any Error).self) { try JSONValue.parse(text) }
    }

    @Test func invalidUTF8IsRepairedAndLoneSurrogatesReplaced() throws {
        var bytes = Array(#"{"s":"a"#.utf8)
        bytes += [0xFF, 0xC3]
        bytes += Array(#"b"}"#.utf8)
        #expect(try JSONValue.parse(Data(bytes))["s"] == .string("a\u{FFFD}\u{FFFD}b"))
        #expect(try JSONValue.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
        #expect(try JSONValue.parse(#""\udc00""#) == .string("\u{FFFD}"))
    }

    @Test func deepNestingIsRefusedNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: (any Error).self) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(try JSONValue.parse(fine).arrayValue?.count == 1)
    }

    @Test func serializingAndParsingRoundTripsEveryEscape() throws {
        let all = String((0..<0x80).compactMap { Unicode.Scalar($0).map(Character.init) }) + "é中🙂\u{2028}"
        let v = JSONValue.object(["k\"ey": .string(all), "n": .number(-1.5), "a": .array([.null, .bool(false)])])
        let text = v.serialized()
        #expect(try JSONValue.parse(text) == v)
        #expect(try Self.reference(text) == v)
    }
}
