import Testing
@testable import EngramCode
