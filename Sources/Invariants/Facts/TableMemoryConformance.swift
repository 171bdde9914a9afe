import Hypervisor
import Stage2Decoder

// The builder's simulated memory holds the tables the decoder reads.
extension SimulatedMachineMemory: TableMemory {}
