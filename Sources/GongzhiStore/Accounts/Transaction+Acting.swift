import GongzhiDomain

extension Transaction {
    /// The same transaction acting for someone known only inside it (the resident who just signed up, the user
    /// whose session logs out), so their own acts are audited as theirs.
    func acting(as actor: Actor) -> Transaction {
        Transaction(sql: sql, backend: backend, now: now, actor: actor, personalData: personalData)
    }
}
