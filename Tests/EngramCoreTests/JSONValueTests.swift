import Testing
@testable import EngramCore
@Test func jsonRoundTrip() throws {
    let v = try JSONValue.parse(#"{"a":[1,true,null,"x\n"],"b":2.5}"#)
    #expect(v["a"]?[1] == .bool(true))
    #expect(v.serialized() == #"{"a":[1,true,null,"x\n"],"b":2.5}"#)
}
