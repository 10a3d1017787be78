import XCTest
@testable import TerminalUI

final class KeyLabelTests: XCTestCase {
    func testLabelsComeFromTheKeys() {
        XCTAssertEqual(Key.label([.char("e"), .enter, .function(4)]), "F4 e Enter")
        XCTAssertEqual(Key.label([.home]), "Home")
        XCTAssertEqual(Key.label([.function(5), .ctrl("r")]), "F5 ^R")
        XCTAssertEqual(Key.label([.up, .char("k")]), "↑ k")
        XCTAssertEqual(Key.label([.escape, .backspace]), "Esc Bksp")
        XCTAssertEqual(Key.functionSlot([.char("a"), .function(7)]), 7)
        XCTAssertNil(Key.functionSlot([.char("a")]))
    }
}
