#include "gongzhi_crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

int gz_sm3(const uint8_t *data, size_t length, uint8_t out[32]) {
    unsigned int size = 0;
    const EVP_MD *md = EVP_sm3();
    if (md == NULL) return 0;
    return EVP_Digest(data, length, out, &size, md, NULL) == 1 && size == 32;
}

int gz_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t out[32]) {
    unsigned int size = 0;
    const EVP_MD *md = EVP_sm3();
    if (md == NULL || key_length > 0x7fffffff) return 0;
    return HMAC(md, key, (int)key_length, data, length, out, &size) != NULL && size == 32;
}

static int sm4_run(const EVP_CIPHER *cipher, const uint8_t *key, const uint8_t *iv, const uint8_t *in, size_t length,
                   uint8_t *out, int padding) {
    if (cipher == NULL || length > 0x7fffffff) return 0;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) return 0;
    int ok = EVP_EncryptInit_ex(ctx, cipher, NULL, key, iv) == 1 && EVP_CIPHER_CTX_set_padding(ctx, padding) == 1;
    int written = 0, final = 0;
    if (ok) ok = EVP_EncryptUpdate(ctx, out, &written, in, (int)length) == 1;
    if (ok) ok = EVP_EncryptFinal_ex(ctx, out + written, &final) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok && (size_t)(written + final) == length;
}

int gz_sm4_ctr(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t length, uint8_t *out) {
    return sm4_run(EVP_sm4_ctr(), key, iv, in, length, out, 0);
}

int gz_sm4_block(const uint8_t key[16], const uint8_t in[16], uint8_t out[16]) {
    return sm4_run(EVP_sm4_ecb(), key, NULL, in, 16, out, 0);
}

int gz_random(uint8_t *out, size_t length) {
    if (length > 0x7fffffff) return 0;
    return RAND_bytes(out, (int)length) == 1;
}
