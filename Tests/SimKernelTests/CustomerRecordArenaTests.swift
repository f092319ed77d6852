import SimKernel
import Testing

/// Every customer's record starts as the layout's initial bytes, sections sit where the layout
/// put them (aligned as asked, the stride a multiple of 8), and writing one customer's section
/// changes no other section and no other customer.
@Suite struct CustomerRecordArenaTests {
    @Test func layoutAlignsSectionsAndPadsTheStride() {
        var layout = CustomerRecordLayout()
        #expect(layout.add(initial: [1, 2, 3]) == 0)
        #expect(layout.add(initial: [4, 5], alignment: 1) == 3)
        #expect(layout.add(initial: [UInt8](repeating: 9, count: 8), alignment: 8) == 8)
        #expect(layout.add(initial: [7]) == 16)
        #expect(layout.stride == 24)
        #expect(layout.sectionBytes == 14)
        #expect(layout.paddingBytes == 10)
    }

    @Test func everyRecordStartsAsTheLayoutSays() {
        var layout = CustomerRecordLayout()
        let a = layout.add(initial: [0xAA, 0xBB, 0xCC])
        let b = layout.add(initial: [1, 2, 3, 4, 5, 6, 7, 8], alignment: 8)
        // More customers than one 256 KiB block, and not a multiple of it: the fill doubles, then repeats.
        let n = 70_001
        let arena = CustomerRecordArena(customerCount: n, layout: layout)
        #expect(arena.stride == 16)
        #expect(arena.byteCount == n * 16)
        #expect(arena.paddingByteCount == n * 5)
        let first = arena.section(at: a), second = arena.section(at: b)
        for c in [0, 1, 2, 16_383, 16_384, 16_385, 65_535, 65_536, n - 1] {
            #expect((0..<3).map { first.pointer(c).load(fromByteOffset: $0, as: UInt8.self) } == [0xAA, 0xBB, 0xCC])
            #expect(second.pointer(c).load(as: UInt64.self) == 0x0807_0605_0403_0201)
        }
    }

    @Test func sectionsAndCustomersDoNotOverlap() {
        var layout = CustomerRecordLayout()
        let a = layout.add(initial: [0, 0])
        let b = layout.add(initial: [0, 0, 0, 0], alignment: 4)
        let arena = CustomerRecordArena(customerCount: 100, layout: layout)
        let first = arena.section(at: a), second = arena.section(at: b)
        for c in 0..<100 {
            first.pointer(c).storeBytes(of: UInt16(c), as: UInt16.self)
            second.pointer(c).storeBytes(of: UInt32(1000 + c), as: UInt32.self)
        }
        for c in 0..<100 {
            #expect(first.pointer(c).load(as: UInt16.self) == UInt16(c))
            #expect(second.pointer(c).load(as: UInt32.self) == UInt32(1000 + c))
        }
    }

    @Test func aSectionOfItsOwnHoldsOnlyItsBytes() {
        let own = RecordSection(customerCount: 3, initial: [5, 6, 7])
        #expect(own.arena.stride == 8)
        #expect((0..<3).map { own.pointer(2).load(fromByteOffset: $0, as: UInt8.self) } == [5, 6, 7])
    }

    @Test func anEmptyArenaIsValid() {
        var layout = CustomerRecordLayout()
        _ = layout.add(initial: [1])
        let arena = CustomerRecordArena(customerCount: 0, layout: layout)
        #expect(arena.byteCount == 0)
        arena.prefetch(0)  // out of range: a hint does nothing
    }
}
