/// The checker's exit codes (DESIGN.md).
enum ExitStatus: Int32 {
    /// Every property proved.
    case proved = 0
    /// At least one property violated (or the hypervisor would refuse to build the system).
    case violated = 1
    /// Bad input or usage.
    case badInput = 2
    /// Some property unknown (solver timeout, resource limit), none violated.
    case unknown = 3
}
