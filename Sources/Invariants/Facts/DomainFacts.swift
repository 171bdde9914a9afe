import P2MModel

/// What the checker knows of one domain: its spec and its decoded tables.
public struct DomainFacts: Sendable {
    public var spec: DomainSpec
    public var decoded: DecodedStage2
}
