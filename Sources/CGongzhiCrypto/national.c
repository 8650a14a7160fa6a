#include "gongzhi_crypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

// OpenSSL 3's EVP calls given `EVP_sm3()` and friends fetch the algorithm from the provider on every call (a lock
// and a name look-up), and `HMAC()` builds and keys a fresh context each time: most of the cost of a keyed hash of a
// short value (issue 12: about a dozen per person imported). The algorithms are fetched once per process; each thread
// keeps its own cipher context and a few keyed HMAC contexts (a thread never shares one, so no locks), re-initialised
// per call with the key kept, and freed when the thread ends.

static EVP_MD *sm3_md;
static EVP_CIPHER *sm4_ctr_cipher;
static EVP_CIPHER *sm4_ecb_cipher;
static EVP_MAC *hmac_mac;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_key;

enum { KEYED_SLOTS = 4, MAX_KEY = 64 };

struct keyed_mac {
    EVP_MAC_CTX *ctx;
    size_t key_length;
    uint8_t key[MAX_KEY];
};

struct thread_state {
    EVP_CIPHER_CTX *cipher;
    struct keyed_mac macs[KEYED_SLOTS];
    unsigned next;
};

static void free_thread_state(void *p) {
    struct thread_state *state = p;
    if (state == NULL) return;
    EVP_CIPHER_CTX_free(state->cipher);
    for (int i = 0; i < KEYED_SLOTS; i++) {
        EVP_MAC_CTX_free(state->macs[i].ctx);
        OPENSSL_cleanse(state->macs[i].key, sizeof state->macs[i].key);
    }
    free(state);
}

static void fetch_algorithms(void) {
    sm3_md = EVP_MD_fetch(NULL, "SM3", NULL);
    sm4_ctr_cipher = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
    sm4_ecb_cipher = EVP_CIPHER_fetch(NULL, "SM4-ECB", NULL);
    hmac_mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (pthread_key_create(&thread_key, free_thread_state) != 0) hmac_mac = NULL;
}

static int fetched(void) {
    pthread_once(&fetch_once, fetch_algorithms);
    return sm3_md != NULL && sm4_ctr_cipher != NULL && sm4_ecb_cipher != NULL && hmac_mac != NULL;
}

static struct thread_state *thread_state(void) {
    struct thread_state *state = pthread_getspecific(thread_key);
    if (state != NULL) return state;
    state = calloc(1, sizeof *state);
    if (state == NULL) return NULL;
    if (pthread_setspecific(thread_key, state) != 0) {
        free(state);
        return NULL;
    }
    return state;
}

int gz_sm3(const uint8_t *data, size_t length, uint8_t out[32]) {
    unsigned int size = 0;
    if (!fetched()) return 0;
    return EVP_Digest(data, length, out, &size, sm3_md, NULL) == 1 && size == 32;
}

/// The calling thread's HMAC-SM3 context keyed with `key`, made on first use (the oldest of the slots is replaced).
static EVP_MAC_CTX *keyed_mac(const uint8_t *key, size_t key_length) {
    struct thread_state *state = thread_state();
    if (state == NULL) return NULL;
    for (int i = 0; i < KEYED_SLOTS; i++) {
        struct keyed_mac *slot = &state->macs[i];
        if (slot->ctx != NULL && slot->key_length == key_length && memcmp(slot->key, key, key_length) == 0) {
            // A NULL key re-initialises the context with the key it holds (its precomputed inner and outer pads).
            return EVP_MAC_init(slot->ctx, NULL, 0, NULL) == 1 ? slot->ctx : NULL;
        }
    }
    struct keyed_mac *slot = &state->macs[state->next];
    state->next = (state->next + 1) % KEYED_SLOTS;
    EVP_MAC_CTX_free(slot->ctx);
    slot->ctx = NULL;
    slot->key_length = 0;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(hmac_mac);
    if (ctx == NULL) return NULL;
    char digest[] = "SM3";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_MAC_init(ctx, key, key_length, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return NULL;
    }
    slot->ctx = ctx;
    slot->key_length = key_length;
    memcpy(slot->key, key, key_length);
    return ctx;
}

int gz_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t out[32]) {
    if (!fetched() || key_length > 0x7fffffff) return 0;
    size_t size = 0;
    if (key_length == 0 || key_length > MAX_KEY) {
        // Keys of other lengths are not cached (Gongzhi's are 32 bytes); a one-off context.
        EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(hmac_mac);
        if (ctx == NULL) return 0;
        char digest[] = "SM3";
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end(),
        };
        static const uint8_t empty = 0;
        int ok = EVP_MAC_init(ctx, key_length == 0 ? &empty : key, key_length, params) == 1
                 && EVP_MAC_update(ctx, data, length) == 1 && EVP_MAC_final(ctx, out, &size, 32) == 1;
        EVP_MAC_CTX_free(ctx);
        return ok && size == 32;
    }
    EVP_MAC_CTX *ctx = keyed_mac(key, key_length);
    if (ctx == NULL) return 0;
    return EVP_MAC_update(ctx, data, length) == 1 && EVP_MAC_final(ctx, out, &size, 32) == 1 && size == 32;
}

static int sm4_run(const EVP_CIPHER *cipher, const uint8_t *key, const uint8_t *iv, const uint8_t *in, size_t length,
                   uint8_t *out, int padding) {
    if (length > 0x7fffffff) return 0;
    struct thread_state *state = thread_state();
    if (state == NULL) return 0;
    if (state->cipher == NULL && (state->cipher = EVP_CIPHER_CTX_new()) == NULL) return 0;
    EVP_CIPHER_CTX *ctx = state->cipher;
    int ok = EVP_EncryptInit_ex2(ctx, cipher, key, iv, NULL) == 1 && EVP_CIPHER_CTX_set_padding(ctx, padding) == 1;
    int written = 0, final = 0;
    if (ok) ok = EVP_EncryptUpdate(ctx, out, &written, in, (int)length) == 1;
    if (ok) ok = EVP_EncryptFinal_ex(ctx, out + written, &final) == 1;
    return ok && (size_t)(written + final) == length;
}

int gz_sm4_ctr(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t length, uint8_t *out) {
    if (!fetched()) return 0;
    return sm4_run(sm4_ctr_cipher, key, iv, in, length, out, 0);
}

int gz_sm4_block(const uint8_t key[16], const uint8_t in[16], uint8_t out[16]) {
    if (!fetched()) return 0;
    return sm4_run(sm4_ecb_cipher, key, NULL, in, 16, out, 0);
}

int gz_random(uint8_t *out, size_t length) {
    if (length > 0x7fffffff) return 0;
    return RAND_bytes(out, (int)length) == 1;
}
