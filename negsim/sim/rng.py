"""Each run's own random numbers: numpy's SeedSequence and PCG64, vectorised over runs.

Run ``i`` of root seed ``s`` draws all its randomness from
``numpy.random.default_rng(SeedSequence([s, i]))``; :func:`run_uniforms` computes those
uniforms for many runs at once, bitwise equal to numpy's generators.
"""

from __future__ import annotations

import numpy as np

__all__ = ["run_uniforms"]


def run_uniforms(seed: int, runs: np.ndarray, size: int) -> np.ndarray:
    """Each run's block of uniforms: ``default_rng(SeedSequence([seed, run])).random(size)``.

    The result is bitwise that of numpy's ``SeedSequence`` and ``PCG64`` (the generator of
    ``default_rng``), computed for all runs at once: the seed sequence's hash mixing, the
    PCG64 seeding and its 128-bit LCG steps are done in vectorised uint64 arithmetic.
    Seeds or run indices of 2**32 and more use numpy's generators run by run.

    Examples
    --------
    >>> u = run_uniforms(1, np.array([0, 5]), 3)
    >>> bool(np.all(u[1] == np.random.default_rng(np.random.SeedSequence([1, 5])).random(3)))
    True
    """
    runs = np.asarray(runs, dtype=np.int64)
    if runs.size == 0 or size == 0:
        return np.empty((len(runs), size))
    if int(seed) >= 1 << 32 or int(runs.max()) >= 1 << 32:
        out = np.empty((len(runs), size))
        for r, index in enumerate(runs):
            out[r] = np.random.default_rng(
                np.random.SeedSequence([int(seed), int(index)])
            ).random(size)
        return out
    return _pcg64_uniforms(int(seed), runs.astype(np.uint64), size)


# numpy.random.SeedSequence (pool size 4) and PCG64 (XSL-RR output) constants.
_M32 = np.uint64(0xFFFFFFFF)
_SS_INIT_A, _SS_MULT_A = 0x43B0D7E5, 0x931E8875
_SS_INIT_B, _SS_MULT_B = 0x8B51F9DD, 0x58F38DED
_SS_MIX_L, _SS_MIX_R = np.uint64(0xCA01F9DD), np.uint64(0x4973F715)
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
_PCG_MULT_HI = np.uint64(_PCG_MULT >> 64)
_PCG_MULT_LO = np.uint64(_PCG_MULT & 0xFFFFFFFFFFFFFFFF)
_U = {n: np.uint64(n) for n in (1, 11, 16, 32, 58, 63, 64)}


def _seed_pool(seed: int, runs: np.ndarray) -> list[np.ndarray]:
    """``SeedSequence([seed, run]).pool`` of every run (seed and runs below 2**32)."""
    hash_const = _SS_INIT_A

    def hashmix(value: np.ndarray) -> np.ndarray:
        nonlocal hash_const
        value = value ^ np.uint64(hash_const)
        hash_const = (hash_const * _SS_MULT_A) & 0xFFFFFFFF
        value = (value * np.uint64(hash_const)) & _M32
        return value ^ (value >> _U[16])

    def mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = np.bitwise_and(np.subtract(np.multiply(_SS_MIX_L, x), np.multiply(_SS_MIX_R, y)), _M32)
        return r ^ (r >> _U[16])

    zero = np.zeros(len(runs), dtype=np.uint64)
    entropy = [np.full(len(runs), seed, dtype=np.uint64), runs, zero, zero]
    mixer = [hashmix(e) for e in entropy]
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                mixer[i_dst] = mix(mixer[i_dst], hashmix(mixer[i_src]))
    return mixer


def _mul64(a: np.ndarray, b: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """Multiply uint64 ``a`` by ``b`` to 128 bits: the (high, low) words."""
    a0, a1 = a & _M32, a >> _U[32]
    b0, b1 = b & _M32, b >> _U[32]
    p00, p01, p10, p11 = a0 * b0, a0 * b1, a1 * b0, a1 * b1
    mid = (p00 >> _U[32]) + (p01 & _M32) + (p10 & _M32)
    low = (p00 & _M32) | (mid << _U[32])
    high = p11 + (p01 >> _U[32]) + (p10 >> _U[32]) + (mid >> _U[32])
    return high, low


def _pcg_step(hi: np.ndarray, lo: np.ndarray, inc_hi: np.ndarray, inc_lo: np.ndarray) -> (
    tuple[np.ndarray, np.ndarray]
):
    """One step of the 128-bit LCG: ``state * multiplier + inc`` modulo 2**128."""
    h, low = _mul64(lo, _PCG_MULT_LO)
    h = h + lo * _PCG_MULT_HI + hi * _PCG_MULT_LO
    new_lo = low + inc_lo
    return h + inc_hi + (new_lo < low).astype(np.uint64), new_lo


def _pcg64_uniforms(seed: int, runs: np.ndarray, size: int) -> np.ndarray:
    pool = _seed_pool(seed, runs)
    # SeedSequence.generate_state(4, uint64): eight 32-bit words, paired little-endian.
    hash_const = _SS_INIT_B
    words = []
    for i in range(8):
        v = pool[i % 4] ^ np.uint64(hash_const)
        hash_const = (hash_const * _SS_MULT_B) & 0xFFFFFFFF
        v = (v * np.uint64(hash_const)) & _M32
        words.append(v ^ (v >> _U[16]))
    s_hi, s_lo, i_hi, i_lo = (words[2 * j] | (words[2 * j + 1] << _U[32]) for j in range(4))
    # pcg64_set_seed: inc = (initseq << 1) | 1; state = step(step(0) + initstate).
    inc_hi = (i_hi << _U[1]) | (i_lo >> _U[63])
    inc_lo = (i_lo << _U[1]) | _U[1]
    zero = np.zeros_like(s_lo)
    hi, lo = _pcg_step(zero, zero, inc_hi, inc_lo)
    new_lo = lo + s_lo
    hi = hi + s_hi + (new_lo < lo).astype(np.uint64)
    hi, lo = _pcg_step(hi, new_lo, inc_hi, inc_lo)
    out = np.empty((len(runs), size))
    for j in range(size):
        # Generator.random: step, XSL-RR output, then the top 53 bits as a double.
        hi, lo = _pcg_step(hi, lo, inc_hi, inc_lo)
        x = hi ^ lo
        rot = hi >> _U[58]
        bits = (x >> rot) | (x << ((_U[64] - rot) & _U[63]))
        out[:, j] = (bits >> _U[11]).astype(np.float64) * (1.0 / 9007199254740992.0)
    return out
