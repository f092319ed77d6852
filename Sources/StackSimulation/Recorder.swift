import MarTechModel

/// Collects a run's rows into reusable buffers and hands them to the sink in batches.
struct Recorder {
    let sink: RecordSink
    let flushRows: Int
    var batch = RecordBatch()
    var rows = 0
    private(set) var rowsTotal = 0

    init(sink: RecordSink, flushRows: Int) {
        self.sink = sink
        self.flushRows = flushRows
    }

    mutating func counted() {
        rows += 1
        if rows >= flushRows { flush() }
    }

    mutating func flush() {
        guard rows > 0 else { return }
        rowsTotal += rows
        sink.consume(batch)
        batch = RecordBatch()
        batch.reserve(flushRows)
        rows = 0
    }
}

extension RecordBatch {
    mutating func reserve(_ n: Int) {
        truthChanges.reserveCapacity(n / 4)
        deliveries.reserveCapacity(n / 4)
    }
}
