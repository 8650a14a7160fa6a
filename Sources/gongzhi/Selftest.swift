import ArgumentParser
import Foundation
import GongzhiStore

/// `gongzhi selftest crypto`: both crypto suites against their standards' known answers (SM3 GB/T 32905-2016,
/// SM4 GB/T 32907-2016 from the system's OpenSSL; SHA-256 and AES-256-GCM from swift-crypto) and a seal round trip
/// each. `serve` runs the chosen suite's test at start and refuses to start on a mismatch.
struct Selftest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the crypto suites against the standards' test vectors (GB/T 32905, GB/T 32907, FIPS 180).")
    @Argument(help: "crypto") var what: String = "crypto"

    func run() async throws {
        guard what == "crypto" else { fail("usage: gongzhi selftest crypto") }
        var failed = false
        for (name, suite, standards) in [
            (
                "national (sm)", CryptoSuiteName.national.suite,
                "SM3 GB/T 32905-2016, SM4 GB/T 32907-2016, SM4-CTR+HMAC-SM3"
            ),
            ("international (intl)", CryptoSuiteName.international.suite, "SHA-256 FIPS 180, AES-256-GCM"),
        ] {
            do {
                try suite.selfTest()
                print("ok    \(name): \(standards)")
            } catch {
                failed = true
                print("FAIL  \(name): \(error)")
            }
        }
        if failed { throw ExitCode.failure }
    }
}
