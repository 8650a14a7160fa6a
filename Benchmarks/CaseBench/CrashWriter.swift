import Foundation
import GongzhiDomain
import GongzhiStore

/// `gongzhi-bench crash-writer --db URL --secret S --username NAME --node ID [--clients 8]`: files cases from
/// `--clients` tasks without end and writes `ack <case id>` to stdout after each call returns, i.e. after its
/// durable commit. The crash test (`GroupCommitCrashTests`) kills it with SIGKILL in the middle of a batch and checks
/// that every acknowledged case is there and nothing half-written is (issue 11). Not for use on real data.
func crashWriter() async throws {
    let db = try Database.open(url: argument("--db", ""), connectionsPerLoop: 2)
    try db.useServerSecret(argument("--secret", ""))
    let accounts = AccountStore(db: db)
    guard let user = try await accounts.user(username: argument("--username", "resident")),
        let actor = try await accounts.actor(for: user.id), let node = Int64(argument("--node", ""))
    else {
        FileHandle.standardError.write(Data("crash-writer: unknown --username or --node\n".utf8))
        exit(2)
    }
    let clients = Int(argument("--clients", "8")) ?? 8
    let commands = CaseCommands(db: db)
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    await withTaskGroup(of: Void.self) { group in
        for t in 0..<clients {
            group.addTask {
                var i = 0
                while true {
                    i += 1
                    do {
                        let c = try await commands.submit(
                            actor, CaseSubmission(title: "crash \(t)-\(i)", description: "写到一半被杀掉", nodeID: node))
                        // One write(2) of a short line: whole lines only reach the pipe.
                        FileHandle.standardOutput.write(Data("ack \(c.id)\n".utf8))
                    } catch {
                        FileHandle.standardOutput.write(Data("error \(error)\n".utf8))
                    }
                }
            }
        }
    }
}
