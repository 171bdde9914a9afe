import P2MModel
import Testing
@testable import SpecFormat

/// `"declared": false` on a boot module: loaded bytes Xen is not told about.
struct DeclaredModuleTests {
    func decode(_ module: String) throws(SpecError) -> BoardSpec {
        let text = SpecDecoderTests.minimal.replacingOccurrences(
            of: "\"domain\": \"dom0\"}]", with: "\"domain\": \"dom0\"\(module)}]")
        return try SpecDecoder.decode(Array(text.utf8))
    }

    @Test func modulesAreDeclaredUnlessTheSpecSaysOtherwise() throws {
        #expect(try decode("").bootModules[0].declared)
        #expect(try decode(", \"declared\": true").bootModules[0].declared)
        #expect(try decode(", \"declared\": false").bootModules[0].declared == false)
    }

    @Test func declaredMustBeABoolean() {
        do {
            _ = try decode(", \"declared\": \"no\"")
            Issue.record("a string was accepted")
        } catch {
            #expect(error.description == "/boot_modules/0/declared: expected true or false, found a string")
        }
    }
}
