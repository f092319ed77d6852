import SimKernel

/// Ad impressions per customer on one DSP, settled interval by interval.
///
/// Impressions are a Poisson process while the DSP serves a customer. Between two changes of
/// anything that matters (the DSP's copy, the customer's true conversion) the process is
/// homogeneous, so the number of impressions in that interval is one Poisson draw, and the
/// first and last impression instants are drawn exactly from the order statistics of that many
/// uniform points. The per-event path (one event per impression) exists to check this one
/// against; both give the same distribution of every count.
///
/// One customer's figures sit together (`Account`, 32 bytes): settling a customer touches one
/// account, not five arrays. In the engine the accounts are a section of each customer's one
/// record (`CustomerRecordArena`), beside the DSP's copy of that customer; a copy of a ledger
/// refers to the same accounts.
public struct ImpressionLedger: Sendable {
    /// One customer's impressions on this DSP.
    public struct Account: Sendable, BitwiseCopyable {
        /// Impressions are drawn up to this instant (ms).
        public var settledAt: Int64 = 0
        /// First and last impression instants (ms; -1: none yet).
        public var firstAt: Int64 = -1
        public var lastAt: Int64 = -1
        public var served: Int32 = 0
        /// Served after the customer converted.
        public var wasted: Int32 = 0
    }
    public let customerCount: Int
    @usableFromInline let section: RecordSection
    /// Per-event mode only (empty otherwise): the generation of each customer's pending
    /// impression event (odd = pending).
    public var tokens: [UInt32]

    /// An account as it starts, as bytes: the section's initial record.
    public static var initialRecord: [UInt8] {
        withUnsafeBytes(of: Account()) { Array($0) }
    }
    /// The alignment an account's section needs within a record.
    public static var alignment: Int { MemoryLayout<Account>.alignment }

    /// A ledger in memory of its own.
    public init(customerCount: Int, perEvent: Bool) {
        self.init(
            accounts: RecordSection(customerCount: customerCount, initial: Self.initialRecord, alignment: Self.alignment),
            perEvent: perEvent)
    }

    /// A ledger whose accounts are a section of a shared arena laid out with `initialRecord`,
    /// at a multiple of `alignment`.
    public init(accounts: RecordSection, perEvent: Bool) {
        customerCount = accounts.arena.customerCount
        section = accounts
        tokens = perEvent ? [UInt32](hugeRepeating: 0, count: customerCount) : []
    }

    /// Customer `c`'s account.
    @inlinable public subscript(account c: Int) -> Account {
        get { section.pointer(c).load(as: Account.self) }
        set { section.pointer(c).storeBytes(of: newValue, as: Account.self) }
    }

    /// Bytes held for the accounts.
    public var accountByteCount: Int { customerCount * MemoryLayout<Account>.stride }

    public mutating func addAggregated(
        _ customer: Int, count n: Int, from: Int64, to: Int64, wasted isWasted: Bool, random: inout SeededRandom
    ) -> (first: Int64, last: Int64) {
        let length = Double(to - from)
        // Max of n uniforms is U^(1/n); the min of the other n-1, given the max m, is m(1 - V^(1/(n-1))).
        let maxFraction = _pow(random.unitOpen(), 1 / Double(n))
        let minFraction = n == 1 ? maxFraction : maxFraction * (1 - _pow(random.unitOpen(), 1 / Double(n - 1)))
        let first = from + Int64((minFraction * length).rounded(.down))
        let last = from + Int64((maxFraction * length).rounded(.down))
        add(customer, count: n, first: first, last: last, wasted: isWasted)
        return (first, last)
    }

    public mutating func add(_ customer: Int, count n: Int, first: Int64, last: Int64, wasted isWasted: Bool) {
        var account = self[account: customer]
        account.served += Int32(n)
        if isWasted { account.wasted += Int32(n) }
        if account.firstAt < 0 || first < account.firstAt { account.firstAt = first }
        if last > account.lastAt { account.lastAt = last }
        self[account: customer] = account
    }
}
