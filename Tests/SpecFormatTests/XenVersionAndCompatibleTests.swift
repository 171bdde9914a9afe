import P2MModel
import Testing
@testable import SpecFormat

/// `xen_version` (which Xen release's rules apply) and a device's `compatible`.
struct XenVersionAndCompatibleTests {
    let base = SpecDecoderTests()

    @Test func xenVersionDefaultsToTheOracleRelease() throws {
        #expect(try base.decode(SpecDecoderTests.minimal).xenVersion == XenVersion(major: 4, minor: 17))
    }

    @Test func xenVersionIsReadWithOrWithoutPatch() throws {
        let a = try base.decode(base.variant("\"pa_bits\": 40,", "\"pa_bits\": 40, \"xen_version\": \"4.19.2\","))
        #expect(a.xenVersion == XenVersion(major: 4, minor: 19, patch: 2))
        let b = try base.decode(base.variant("\"pa_bits\": 40,", "\"pa_bits\": 40, \"xen_version\": \"4.20\","))
        #expect(b.xenVersion == XenVersion(major: 4, minor: 20, patch: 0))
        #expect(a.xenVersion < b.xenVersion)
    }

    @Test(arguments: ["4", "4.x", "4.17.", "v4.17", "4.16", "5.0", "4.17.1.2", ""])
    func badXenVersionNamesItsPath(_ text: String) throws {
        let e = try #require(base.error(base.variant("\"pa_bits\": 40,", "\"pa_bits\": 40, \"xen_version\": \"\(text)\",")))
        #expect(e.path.displayString == "/xen_version")
    }

    @Test func compatibleIsAStringOrAList() throws {
        let one = try base.decode(base.variant("\"role\": \"uart\"", "\"role\": \"uart\", \"compatible\": \"arm,pl011\""))
        #expect(one.devices.contains { $0.compatible == ["arm,pl011"] })
        let two = try base.decode(base.variant("\"role\": \"uart\"", "\"role\": \"uart\", \"compatible\": [\"arm,pl011\", \"arm,primecell\"]"))
        #expect(two.devices.contains { $0.compatible == ["arm,pl011", "arm,primecell"] })
    }

    @Test func emptyOrTypedWrongCompatibleNamesItsPath() throws {
        for bad in ["[]", "[\"\"]", "3", "[1]"] {
            let e = try #require(base.error(base.variant("\"role\": \"uart\"", "\"role\": \"uart\", \"compatible\": \(bad)")))
            #expect(e.path.displayString.hasPrefix("/devices/0/compatible"))
        }
    }
}
