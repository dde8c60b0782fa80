import Foundation
import Testing

@testable import EngramCore

/// Time keys are built from stored text, so text → date → text must be exact, and a successor must be new.
@Suite struct TimestampTests {
    /// Every millisecond of a second, at a few magnitudes of the epoch: the old formatter truncated binary
    /// fractions (…123 read back as …122.9999 and written as …122), which made `latest + 1 ms` equal `latest`.
    @Test(arguments: ["2026-12-02T05:35:59", "2001-01-01T00:00:00", "2099-12-31T23:59:59"])
    func textRoundTripsAndSuccessorsAreStrictlyLater(_ second: String) {
        var collisions = 0, lossy = 0
        for ms in 0..<1000 {
            let text = second + "." + String(1000 + ms).dropFirst() + "Z"
            if Timestamp.format(Timestamp.parse(text)!) != text { lossy += 1 }
            let next = Timestamp.successor(of: text, preferred: text)
            if !(next > text) || Timestamp.milliseconds(next) != Timestamp.milliseconds(text)! + 1 { collisions += 1 }
        }
        #expect(lossy == 0)
        #expect(collisions == 0)
    }

    @Test func successorKeepsALaterPreferredTimeAndCarriesIntoTheNextSecond() {
        #expect(Timestamp.successor(of: nil, preferred: "2026-01-01T00:00:00.500Z") == "2026-01-01T00:00:00.500Z")
        #expect(Timestamp.successor(of: "2026-01-01T00:00:00.400Z", preferred: "2026-01-01T00:00:00.500Z") == "2026-01-01T00:00:00.500Z")
        #expect(Timestamp.successor(of: "2026-01-01T00:00:00.999Z", preferred: "2026-01-01T00:00:00.100Z") == "2026-01-01T00:00:01.000Z")
        #expect(Timestamp.successor(of: "2026-12-31T23:59:59.999Z", preferred: "2026-12-31T23:59:59.999Z") == "2027-01-01T00:00:00.000Z")
    }
}
