import FuzzSupport
import SpecFormat

// Decodes arbitrary bytes as a p2m-check/v1 spec. A spec is either decoded
// or rejected with a `SpecError`; anything else (a trap, a sanitizer report,
// a hang) is a finding. A rejection must carry a message, a JSON Pointer and
// a position inside the input, and print as one line, so that every error a
// user sees can be located.
runFuzzer { bytes in
    do throws(SpecError) {
        let spec = try SpecDecoder.decode(bytes)
        precondition(!spec.ram.isEmpty && !spec.domains.isEmpty, "decoded a spec without RAM or domains")
        for bank in spec.ram { precondition(bank.range.size > 0, "decoded an empty RAM bank") }
    } catch {
        precondition(!error.message.isEmpty, "a SpecError without a message")
        // By bytes: a key may start with a combining mark, which joins the "/"
        // into one Character (found by this fuzzer: its first oracle compared Characters).
        precondition(error.description.utf8.first == UInt8(ascii: "/"), "a SpecError whose path is not a JSON Pointer")
        precondition(!error.description.contains("\n"), "a SpecError that is not one line")
        if let at = error.location {
            precondition(at.line >= 1 && at.column >= 1 && at.offset <= bytes.count, "a SpecError located outside the input")
        }
    }
}
