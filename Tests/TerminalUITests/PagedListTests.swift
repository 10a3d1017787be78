import XCTest
@testable import TerminalUI

/// A keyset source over 0..<n (row = its own cursor), counting the reads.
final class FakeSource {
    var data: [Int]
    var reads = 0
    var backward: Bool
    init(_ n: Int, backward: Bool = true) { data = Array(0..<n); self.backward = backward }

    func load(_ cursor: Int?, _ dir: PageDirection, _ limit: Int) -> [Int] {
        reads += 1
        switch dir {
        case .forward: return Array(data.filter { cursor == nil || $0 > cursor! }.prefix(limit))
        case .backward: return Array(data.filter { cursor == nil || $0 < cursor! }.suffix(limit))
        }
    }

    func list(pageSize: Int = 15) -> PagedList<Int, Int> {
        PagedList(pageSize: pageSize, backward: backward, cursor: { $0 }, count: { self.data.count }) { c, d, l in self.load(c, d, l) }
    }
}

final class PagedListTests: XCTestCase {
    /// The rows shown are always the rows at pageStart… of the whole result, never more than a page.
    func assertTruthful(_ l: PagedList<Int, Int>, _ src: FakeSource, file: StaticString = #filePath, line: UInt = #line) {
        let expected = Array(src.data.dropFirst(l.pageStart).prefix(l.rows.count))
        XCTAssertEqual(l.rows, expected, "page at \(l.pageStart) size \(l.pageSize)", file: file, line: line)
        XCTAssertLessThanOrEqual(l.rows.count, l.pageSize, file: file, line: line)
        if !l.rows.isEmpty { XCTAssertTrue(l.rows.indices.contains(l.selected), file: file, line: line) }
    }

    func testPageDownShowsEveryRowExactlyOnceAtEveryHeight() {
        for height in 5...60 {
            let src = FakeSource(1000)
            let l = src.list()          // loaded at the default size, then the height is known
            l.first()
            l.resize(to: height)
            var seen: [Int] = []
            var guardCount = 0
            while true {
                assertTruthful(l, src)
                XCTAssertEqual(l.rows.count, min(height, 1000 - l.pageStart), "full pages at height \(height)")
                seen += l.rows
                let before = l.pageStart
                l.pageDown()
                if l.pageStart == before { break }
                guardCount += 1; if guardCount > 2000 { XCTFail("no end"); break }
            }
            XCTAssertEqual(seen, Array(0..<1000), "height \(height)")
            XCTAssertEqual(l.current, 999)
        }
    }

    func testPageUpFromTheEndNeverSkipsARowAndEndsOnAFullFirstPage() {
        for height in [5, 7, 13, 24, 36, 60] {
            for backward in [true, false] {
                let src = FakeSource(1000, backward: backward)
                let l = src.list(pageSize: height)
                l.first()
                l.end()
                assertTruthful(l, src)
                XCTAssertEqual(l.rows.count, height)
                XCTAssertEqual(l.rows.last, 999)
                XCTAssertEqual(l.current, 999)
                var seen = Set(l.rows)
                var lowest = l.rows.first!
                while l.pageStart > 0 {
                    l.pageUp()
                    assertTruthful(l, src)
                    XCTAssertEqual(l.rows.count, height)
                    // contiguous: the new page reaches the previous one
                    XCTAssertGreaterThanOrEqual(l.rows.last! + 1, lowest)
                    lowest = l.rows.first!
                    seen.formUnion(l.rows)
                }
                XCTAssertEqual(seen.count, 1000, "height \(height) backward \(backward)")
                XCTAssertEqual(l.rows.first, 0)
                l.pageUp()
                XCTAssertEqual(l.current, 0)
            }
        }
    }

    func testArrowKeysWalkTheWholeListBothWays() {
        let src = FakeSource(100)
        let l = src.list(pageSize: 7)
        l.first()
        var walked = [l.current!]
        for _ in 0..<120 { l.down(); if walked.last != l.current! { walked.append(l.current!) } }
        XCTAssertEqual(walked, Array(0..<100))
        var back = [l.current!]
        for _ in 0..<120 { l.up(); if back.last != l.current! { back.append(l.current!) } }
        XCTAssertEqual(back, Array((0..<100).reversed()))
        assertTruthful(l, src)
    }

    /// The reported bug: loaded with 15 rows, drawn at a taller height, PgDn stayed or skipped.
    func testLoadedSmallThenTallFillsTheScreenAndPagesOn() {
        let src = FakeSource(1000)
        let l = src.list(pageSize: 15)
        l.first()
        l.resize(to: 26)          // 100x30
        XCTAssertEqual(l.rows, Array(0..<26))
        l.pageDown()
        XCTAssertEqual(l.visibleRange.from, 27)
        XCTAssertEqual(l.visibleRange.to, 52)
        l.resize(to: 36)          // 120x40, mid list
        assertTruthful(l, src)
        XCTAssertEqual(l.rows.count, 36)
        XCTAssertEqual(l.rows.first, 26)
        l.pageDown()
        XCTAssertEqual(l.rows.first, 62)
    }

    func testResizeMidListKeepsTheSelectedRowAndEveryRowOnce() {
        let heights = [20, 36, 5, 56, 12, 12, 40, 7, 60, 19]
        let src = FakeSource(1000)
        let l = src.list(pageSize: 20)
        l.first()
        var seen = Set<Int>()
        var step = 0
        while true {
            seen.formUnion(l.rows)
            // select a row in the middle, then resize: it stays on screen
            l.selected = l.rows.count / 2
            let sel = l.current!
            l.resize(to: heights[step % heights.count])
            assertTruthful(l, src)
            XCTAssertEqual(l.current, sel)
            XCTAssertEqual(l.rows.count, min(l.pageSize, 1000 - l.pageStart))
            seen.formUnion(l.rows)
            let last = l.rows.last!
            l.pageDown()
            if l.pageStart + l.rows.count - 1 == last { break }
            XCTAssertEqual(l.rows.first, last + 1, "no row skipped")
            step += 1
        }
        XCTAssertEqual(seen.count, 1000)
    }

    func testGrowingAtTheEndFillsFromAbove() {
        let src = FakeSource(50)
        let l = src.list(pageSize: 20)
        l.first(); l.pageDown(); l.pageDown()
        XCTAssertEqual(l.rows, Array(40..<50))
        l.resize(to: 30)
        assertTruthful(l, src)
        XCTAssertEqual(l.rows, Array(20..<50))
        XCTAssertEqual(l.current, 40)
    }

    func testPageUpSelectsThePageTopAndUpTheRowAbove() {
        let src = FakeSource(100)
        let l = src.list(pageSize: 10)
        l.first(); l.pageDown(); l.pageDown()
        XCTAssertEqual(l.current, 20)
        l.pageUp()
        XCTAssertEqual(l.rows.first, 10); XCTAssertEqual(l.current, 10)
        l.up()
        XCTAssertEqual(l.rows.first, 0); XCTAssertEqual(l.current, 9)
        l.end()
        XCTAssertEqual(l.rows, Array(90..<100)); XCTAssertEqual(l.current, 99)
        l.first()
        XCTAssertEqual(l.current, 0); XCTAssertEqual(l.pageStart, 0)
    }

    func testShortListsAndEmpty() {
        let src = FakeSource(3)
        let l = src.list(pageSize: 10)
        l.first()
        XCTAssertEqual(l.rows, [0, 1, 2])
        l.pageDown(); XCTAssertEqual(l.current, 2)
        l.pageUp(); XCTAssertEqual(l.current, 0)
        l.resize(to: 2); assertTruthful(l, src)
        let empty = FakeSource(0).list()
        empty.first(); empty.pageDown(); empty.pageUp(); empty.up(); empty.down(); empty.end(); empty.resize(to: 30)
        XCTAssertNil(empty.current)
        XCTAssertEqual(empty.visibleRange.from, 0)
    }

    func testReloadKeepsThePageAndDeferredCount() {
        let src = FakeSource(100)
        let l = src.list(pageSize: 10)
        l.first(); l.pageDown(); l.pageDown(); l.selected = 4
        XCTAssertEqual(l.total, 100)
        src.data.removeAll { $0 == 25 || $0 == 3 }     // one on this page, one before it
        l.reload(deferCount: true)
        XCTAssertEqual(l.rows.first, 20)
        XCTAssertEqual(l.rows.count, 10)
        XCTAssertTrue(l.countStale)
        XCTAssertEqual(l.total, 100)
        XCTAssertTrue(l.idle())
        XCTAssertEqual(l.total, 98)
        XCTAssertFalse(l.idle())
        XCTAssertEqual(l.selected, 4)
    }

    func testErrorsLeaveTheListAsItWas() {
        struct Boom: Error {}
        let src = FakeSource(100)
        var fail = false
        var errors = 0
        let l = PagedList<Int, Int>(pageSize: 10, cursor: { $0 }, onError: { _ in errors += 1 }) { c, d, n in
            if fail { throw Boom() }
            return src.load(c, d, n)
        }
        l.first()
        fail = true
        l.pageDown(); l.resize(to: 20)
        XCTAssertEqual(errors, 2)
        XCTAssertEqual(l.rows, Array(0..<10))
        XCTAssertEqual(l.pageStart, 0)
    }
}
