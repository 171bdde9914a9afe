import Testing
@testable import DeviceTree

/// Malformed blobs give a clear error naming what and where; none traps.
struct MalformedBlobTests {
    private func error(_ bytes: [UInt8], limits: FlattenedDeviceTree.Limits = .init()) -> DeviceTreeError? {
        do {
            _ = try FlattenedDeviceTree.parse(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func theMinimalBlobParses() throws {
        let tree = try FlattenedDeviceTree.parse(BlobBuilder.minimal().bytes())
        #expect(tree.nodes.count == 2)
        #expect(tree.path(of: 1) == "/dev@1000")
    }

    @Test func truncatedAtEveryLengthIsAnErrorNotATrap() throws {
        let blob = try DTCFixtures.blob("arm32-board")
        for length in 0 ..< blob.count {
            let e = error(Array(blob[..<length]))
            #expect(e != nil, "prefix of \(length) bytes parsed")
        }
        #expect(error([]) == .truncatedHeader(available: 0))
        #expect(error(Array(blob[..<39])) == .truncatedHeader(available: 39))
        #expect(error(Array(blob[..<100])) == .totalSizeMismatch(declared: UInt32(blob.count), available: 100))
        #expect(error(Array(blob[..<100]))?.description == "header totalsize 0x\(String(blob.count, radix: 16)) does not fit the blob (100 bytes available, at least 40 needed): truncated blob?")
    }

    @Test func badMagic() {
        let blob = BlobBuilder.minimal().bytes().settingWord(0, 0xEDFE_0DD0)
        #expect(error(blob) == .badMagic(found: 0xEDFE_0DD0))
        #expect(error(blob)?.description == "bad magic 0xedfe0dd0 at offset 0x0: not a flattened device tree (expected 0xd00dfeed)")
    }

    @Test func unsupportedVersion() {
        #expect(error(BlobBuilder.minimal().bytes().settingWord(20, 15)) == .unsupportedVersion(version: 15, lastCompatible: 16))
        #expect(error(BlobBuilder.minimal().bytes().settingWord(24, 18)) == .unsupportedVersion(version: 17, lastCompatible: 18))
    }

    @Test func offsetsPastTheEnd() {
        let blob = BlobBuilder.minimal().bytes()
        let total = UInt32(blob.count)
        // off_dt_struct, off_dt_strings, off_mem_rsvmap, size_dt_strings, size_dt_struct past totalsize.
        #expect(error(blob.settingWord(8, total)) == .blockOutOfBounds(block: "structure", offset: total, size: UInt32(BlobBuilder.minimal().structure.count), totalSize: total))
        #expect(error(blob.settingWord(12, 0xFFFF_FFF0))?.description.hasPrefix("strings block [0xfffffff0, +") == true)
        #expect(error(blob.settingWord(16, total - 8)) == .blockOutOfBounds(block: "memory reservation map", offset: total - 8, size: 16, totalSize: total))
        #expect(error(blob.settingWord(32, 0xFFFF_FFFF))?.description.hasPrefix("strings block") == true)
        #expect(error(blob.settingWord(36, 0xFFFF_FFFF))?.description.hasPrefix("structure block") == true)
        // A block inside the header.
        #expect(error(blob.settingWord(8, 8)) != nil)
        // totalsize larger than the file.
        #expect(error(blob.settingWord(4, total + 1)) == .totalSizeMismatch(declared: total + 1, available: blob.count))
    }

    @Test func overlappingBlocks() {
        let b = BlobBuilder.minimal()
        let blob = b.bytes()
        // Strings offset pointing into the structure block.
        #expect(error(blob.settingWord(12, UInt32(40 + 16 + 4))) == .blocksOverlap(first: "structure", second: "strings"))
        // Reservation map inside the structure block.
        #expect(error(blob.settingWord(16, UInt32(40 + 16 + 4))) == .blocksOverlap(first: "structure", second: "memory reservation map"))
    }

    @Test func unterminatedStrings() {
        // The strings block cut so that the last property name has no NUL.
        var b = BlobBuilder.minimal()
        b.strings.removeLast()
        let e = error(b.bytes())
        #expect(e == .unterminatedPropertyName(nameOffset: 15, offset: 40 + 16 + 40))
        #expect(e?.description == "property at offset 0x60: its name at string offset 0xf is not NUL-terminated inside the strings block")
        // A node name with no NUL before the end of the structure block.
        var n = BlobBuilder()
        n.token(1)
        n.structure += Array("abc".utf8)
        #expect(error(n.bytes()) == .unterminatedNodeName(offset: 40 + 16 + 4))
        // A property name offset past the strings block.
        var p = BlobBuilder()
        p.begin("")
        p.token(3)
        p.structure += BlobBuilder.be32(0) + BlobBuilder.be32(0x1000)
        p.end()
        p.token(9)
        #expect(error(p.bytes()) == .propertyNameOutOfBounds(nameOffset: 0x1000, stringsSize: 0, offset: 40 + 16 + 8))
    }

    @Test func propertyValuePastTheBlock() {
        var b = BlobBuilder()
        b.begin("")
        b.token(3)
        b.structure += BlobBuilder.be32(0x7FFF_FFFF) + BlobBuilder.be32(0)
        b.strings = Array("x\0".utf8)
        #expect(error(b.bytes()) == .truncated(what: "property value of 2147483647 bytes", offset: 40 + 16 + 20))
    }

    @Test func badTokensAndNesting() {
        var unknown = BlobBuilder()
        unknown.begin("")
        unknown.token(7)
        #expect(error(unknown.bytes()) == .unknownToken(token: 7, offset: 40 + 16 + 8))
        var noEnd = BlobBuilder()
        noEnd.begin("")
        noEnd.end()
        #expect(error(noEnd.bytes()) == .missingEnd(offset: 40 + 16 + 12))
        var stray = BlobBuilder()
        stray.end()
        #expect(error(stray.bytes()) == .badNesting("END_NODE without an open node", offset: 56))
        var open = BlobBuilder()
        open.begin("")
        open.token(9)
        #expect(error(open.bytes()) == .badNesting("END while 1 node(s) are still open", offset: 64))
        var twoRoots = BlobBuilder.minimal()
        twoRoots.structure.removeLast(4)
        twoRoots.begin("")
        #expect(error(twoRoots.bytes())?.description.hasSuffix("a second root node") == true)
        var orphan = BlobBuilder()
        orphan.property("x", [])
        #expect(error(orphan.bytes()) == .badNesting("a property outside any node", offset: 56))
        var empty = BlobBuilder()
        empty.token(9)
        #expect(error(empty.bytes()) == .badNesting("no root node", offset: 56))
    }

    @Test func reservationMapWithoutTerminator() {
        var b = BlobBuilder.minimal()
        b.terminateReservations = false
        b.reservations = [(0x1000, 0x1000)]
        // Without a (0, 0) pair the walk runs into the structure block's words, then off the end.
        #expect(error(b.bytes()) != nil)
        var wraps = BlobBuilder.minimal()
        wraps.reservations = [(0xFFFF_FFFF_FFFF_F000, 0x2000)]
        #expect(error(wraps.bytes()) == .rangeWraps(what: "/memreserve/ entry 0", base: 0xFFFF_FFFF_FFFF_F000, size: 0x2000))
        var many = BlobBuilder.minimal()
        many.reservations = Array(repeating: (0x1000, 0x1000), count: 5)
        #expect(error(many.bytes(), limits: .init(maximumReservations: 4)) == .limitExceeded(what: "memory reservation entries", limit: 4))
    }

    @Test func nestingDepthAndNodeCountAreLimited() {
        var deep = BlobBuilder()
        for _ in 0 ..< 200 { deep.begin("n") }
        for _ in 0 ..< 200 { deep.end() }
        deep.token(9)
        #expect(error(deep.bytes()) == .limitExceeded(what: "levels of node nesting", limit: 64))
        var wide = BlobBuilder()
        wide.begin("")
        for _ in 0 ..< 10 { wide.begin("n"); wide.end() }
        wide.end()
        wide.token(9)
        #expect(error(wide.bytes(), limits: .init(maximumNodes: 5)) == .limitExceeded(what: "nodes", limit: 5))
        #expect(error(wide.bytes()) == nil)
    }

    /// Corrupting any byte of a real blob gives either a tree or an error; never a trap.
    @Test func corruptedBytesNeverTrap() throws {
        let blob = try DTCFixtures.blob("arm64-gicv3")
        var rng = SplitMix64(seed: 0x5EED)
        var errors = 0
        for _ in 0 ..< 3000 {
            var copy = blob
            for _ in 0 ..< 1 + Int(rng.next() % 4) {
                copy[Int(rng.next() % UInt64(copy.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let tree = try? FlattenedDeviceTree.parse(copy) {
                _ = BoardExtractor.describe(tree)
            } else {
                errors += 1
            }
        }
        #expect(errors > 0)
    }
}

/// A small deterministic generator, so that the corruption test is reproducible.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
