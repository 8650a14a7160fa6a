// The national algorithms (SM3, SM4) from the system's OpenSSL 3 libcrypto: thin calls into its EVP interface,
// never a cipher of our own. Each function returns 1 on success and 0 on failure.
#ifndef GONGZHI_CRYPTO_H
#define GONGZHI_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/// SM3 digest (GB/T 32905-2016), 32 bytes.
int gz_sm3(const uint8_t *data, size_t length, uint8_t out[32]);

/// HMAC with SM3, 32 bytes.
int gz_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t out[32]);

/// SM4 (GB/T 32907-2016) in CTR mode: encryption and decryption are the same operation.
int gz_sm4_ctr(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t length, uint8_t *out);

/// One SM4 block in ECB mode without padding, for the standard's test vector at start-up.
int gz_sm4_block(const uint8_t key[16], const uint8_t in[16], uint8_t out[16]);

/// Cryptographically secure random bytes from OpenSSL's generator.
int gz_random(uint8_t *out, size_t length);

#endif
