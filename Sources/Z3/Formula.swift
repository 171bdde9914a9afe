import CZ3

/// A Boolean term in one context.
public struct Formula {
    let context: Z3Context
    let ast: Z3_ast
    /// The term scope it was made in (`Z3Context.withTermScope`).
    let scope: UInt32

    init(context: Z3Context, ast: Z3_ast) {
        self.context = context
        self.ast = ast
        scope = context.currentScope
    }

    /// Conjunction; `true` for an empty list.
    /// - Precondition: `terms` is non-empty, or use `Formula.and(in:)`. Empty lists are true.
    public static func and(_ terms: [Formula]) throws -> Formula {
        guard let first = terms.first else { throw SolverError.z3(code: -1, message: "empty conjunction needs a context") }
        for t in terms { try first.context.require(t) }
        if terms.count == 1 { return first }
        let asts: [Z3_ast?] = terms.map(\.ast)
        return Formula(context: first.context, ast: try first.context.make { asts.withUnsafeBufferPointer { Z3_mk_and(first.context.raw, UInt32($0.count), $0.baseAddress) } })
    }

    /// Conjunction in `context`; `true` for an empty list.
    public static func and(_ terms: [Formula], in context: Z3Context) throws -> Formula {
        terms.isEmpty ? context.trueFormula : try and(terms)
    }

    /// Disjunction in `context`; `false` for an empty list.
    public static func or(_ terms: [Formula], in context: Z3Context) throws -> Formula {
        guard let first = terms.first else { return context.falseFormula }
        for t in terms { try context.require(t) }
        if terms.count == 1 { return first }
        let asts: [Z3_ast?] = terms.map(\.ast)
        return Formula(context: context, ast: try context.make { asts.withUnsafeBufferPointer { Z3_mk_or(context.raw, UInt32($0.count), $0.baseAddress) } })
    }

    /// Negation.
    public func negated() throws -> Formula {
        try context.require(self)
        return Formula(context: context, ast: try context.make { Z3_mk_not(context.raw, ast) })
    }

    /// `self -> other`.
    public func implies(_ other: Formula) throws -> Formula {
        try context.require(self)
        try context.require(other)
        return Formula(context: context, ast: try context.make { Z3_mk_implies(context.raw, ast, other.ast) })
    }

    /// `if condition then a else b` over bit-vectors.
    /// - Throws: `SolverError.widthMismatch` when `a` and `b` differ in width,
    ///   `SolverError.contextMismatch` when the three terms are not of one context.
    public static func ite(_ condition: Formula, _ a: BitVector, _ b: BitVector) throws -> BitVector {
        try a.context.require(a)
        try a.context.require(b)
        try a.context.require(condition)
        guard a.width == b.width else { throw SolverError.widthMismatch(a.width, b.width) }
        return BitVector(context: a.context, ast: try a.context.make { Z3_mk_ite(a.context.raw, condition.ast, a.ast, b.ast) }, width: a.width)
    }

    /// Number of distinct nodes in the term (its DAG size): a measure of encoding size.
    public var termCount: Int {
        var seen: Set<UInt32> = []
        var stack: [Z3_ast] = [ast]
        let raw = context.raw
        while let node = stack.popLast() {
            guard seen.insert(Z3_get_ast_id(raw, node)).inserted else { continue }
            guard Z3_get_ast_kind(raw, node) == Z3_APP_AST, let app = Z3_to_app(raw, node) else { continue }
            for i in 0..<Z3_get_app_num_args(raw, app) {
                if let arg = Z3_get_app_arg(raw, app, i) { stack.append(arg) }
            }
        }
        return seen.count
    }
}
