import Testing
@testable import SpecFormat

/// Pointers built separately compare and hash by their tokens, whatever
/// their representation.
struct JSONPointerTests {
    @Test func equalityAndHashingFollowTheTokens() {
        let a = JSONPointer.root.appending(key: "devices").appending(index: 3).appending(key: "base")
        let b = JSONPointer.root.appending(key: "devices").appending(key: "3").appending(key: "base")
        let c = JSONPointer.root.appending(key: "devices").appending(index: 4).appending(key: "base")
        let shorter = JSONPointer.root.appending(key: "devices").appending(index: 3)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != c)
        #expect(a != shorter && shorter != a)
        #expect(a.tokens == ["devices", "3", "base"])
        #expect(a.description == "/devices/3/base")
        #expect(JSONPointer.root == JSONPointer())
        #expect(JSONPointer.root != shorter)
        #expect(Set([a, b, c]).count == 2)
    }

    @Test func siblingsUnderOneParentKeepTheirOwnIndex() {
        let parent = JSONPointer.root.appending(key: "devices")
        let children = (0..<1_000_000).map { parent.appending(index: $0) }
        #expect(children[999_999].description == "/devices/999999")
        #expect(children[12].tokens == ["devices", "12"])
        #expect(children[12] != children[13])
        #expect(parent.description == "/devices")
    }
}
