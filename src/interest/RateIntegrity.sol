// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMath} from "../libraries/FixedPointMath.sol";
import {RateCurveLib} from "./RateCurve.sol";

/// @notice The pool's time-weighted utilization (SPEC §3 "Rate integrity"): one storage slot.
/// @param utilizationAvg Time-weighted utilization `P / (P + C)` (P outstanding principal, C available cash), WAD.
/// @param inverseTotalAvg Time-weighted `INVERSE_SCALE / (P + C)` (at most 1e36 < 2^128); 0 for an empty pool.
/// @param updatedAt Timestamp up to which both averages are integrated.
/// @param window The averaging window `rateWindow`, seconds; 0 reads as `DEFAULT_WINDOW`.
struct RateState {
    uint64 utilizationAvg;
    uint128 inverseTotalAvg;
    uint40 updatedAt;
    uint24 window;
}

/// @title RateIntegrity
/// @notice The utilization that prices a borrow or an extension, such that liquidity which does not stay cannot
///         move it (SPEC §3 "Rate integrity"). The larger of two terms (the protocol's side):
///         - **instant**: the utilization after the loan, `(P + p) / (P + p + C₀ - cashOut)`, where `C₀` is the
///           lesser of the available cash now and at the start of the transaction: cash that arrived in this
///           transaction (a flash deposit, a repayment) does not lower it, cash that left raises it;
///         - **averaged**: `(max(Ū, P·Ī) + p·Ī) / (1 + fee·Ī)`, from the time-weighted utilization `Ū` and the
///           time-weighted inverse `Ī` of `T = P + C`. In steady state (`Ū = P/T`, `Ī = 1/T`) it equals the instant
///           term exactly: `(P + p) / (T + fee)`. `P·Ī` carries principal borrowed since (earlier in the block
///           too), so loans split in one transaction still price cumulatively.
///         Both averages are a linear-step EMA over the window W, O(1), integrated before every change of cash or
///         principal with the state that held since the last one: `avg += (x - avg) · min(dt, W) / W`. State
///         inside one timestamp has weight 0.
/// @dev **Bound.** Each averaged quantity is non-negative, and state held `t` seconds in total has weight at most
///      `1 - Π(1 - dt_i/W) <= t/W` in it, the rest being the honest history. So liquidity of any size held for a
///      fraction `f = t/W` of the window gives `Ū' >= (1-f)Ū`, `Ī' >= (1-f)Ī`, and (a deposit only lowers `1/T`)
///      a denominator no larger: the averaged term is at least `(1 - f)` times what it is without that liquidity.
///      In one transaction (f = 0) neither term moves. The apr is the curve there (non-decreasing in U), so it is
///      at least `apr((1 - f)·U)`. The instant term's transaction mark lives in transient storage (EIP-1153),
///      keyed by block number; several transactions of one block (a bundle with the attacker's own capital) fall
///      back on the averaged term, where they have weight 0.
///      Rounding: the averages and the averaged term round up.
library RateIntegrity {
    using FixedPointMath for uint256;

    /// @notice Shortest window governance may set.
    uint256 internal constant MIN_WINDOW = 1 hours;
    /// @notice Longest window governance may set.
    uint256 internal constant MAX_WINDOW = 7 days;
    /// @notice The window while governance has set none (a stored 0, e.g. a proxy upgraded from a version without).
    uint256 internal constant DEFAULT_WINDOW = 1 days;
    /// @notice Scale of `inverseTotalAvg` (`1e36 / T`): `p · Ī / 1e18` is `p / T` as a WAD.
    uint256 internal constant INVERSE_SCALE = 1e36;

    // keccak256("strata.transient.RateIntegrity.txStartCash"): (block.number + 1) << 128 | available cash.
    bytes32 private constant TX_START_CASH = 0x031fa8530e3db4a0564970b283bfe0b1c2e03428398be16fb9cf33a29410a3cd;

    /// @notice The averaging window in force.
    function windowOf(RateState storage r) internal view returns (uint256 w) {
        w = r.window;
        if (w == 0) w = DEFAULT_WINDOW;
    }

    /// @notice Both averages integrated up to now, given the principal and available cash that held since the last
    ///         change (what `sync` would store).
    function current(RateState storage r, uint256 principal, uint256 available)
        internal
        view
        returns (uint256 u, uint256 inv)
    {
        (u, inv,) = _integrate(_load(r), principal, available);
    }

    /// @notice Integrates the averages up to now and marks the transaction's starting cash. Call it before every
    ///         change of principal or available cash: one slot read, and one write at the first call of a
    ///         timestamp.
    function sync(RateState storage r, uint256 principal, uint256 available) internal {
        _markTxStart(available);
        uint256 word = _load(r);
        if (uint40(word >> 192) == block.timestamp) return;
        (uint256 u, uint256 inv, uint256 window) = _integrate(word, principal, available);
        word = u | inv << 64 | block.timestamp << 192 | window << 232;
        assembly ("memory-safe") {
            sstore(r.slot, word)
        }
    }

    /// @notice The available cash before the first change of this transaction (`available` if none yet).
    function txStartCash(uint256 available) internal view returns (uint256) {
        uint256 mark;
        bytes32 slot = TX_START_CASH;
        assembly ("memory-safe") {
            mark := tload(slot)
        }
        return mark >> 128 == block.number + 1 ? uint128(mark) : available;
    }

    /// @notice The utilization that prices a loan of `principal` paying out `cashOut` (principal less the
    ///         origination fee); `principal == cashOut == 0` prices an extension. The larger of the instant and
    ///         averaged terms (see the library's notice), at most WAD.
    /// @param u The time-weighted utilization now (`current`, or the stored value after `sync`).
    /// @param inv The time-weighted inverse total now.
    /// @param startCash The available cash at the start of the transaction (`txStartCash`).
    /// @param totalPrincipal Outstanding principal before the loan.
    /// @param available Available cash (not reserved for the redemption queue) before the loan.
    /// @param principal The loan's principal (0 for an extension).
    /// @param cashOut What leaves the pool (`principal` less the origination fee; 0 for an extension).
    function pricingUtilization(
        uint256 u,
        uint256 inv,
        uint256 startCash,
        uint256 totalPrincipal,
        uint256 available,
        uint256 principal,
        uint256 cashOut
    ) internal pure returns (uint256) {
        uint256 cash0 = available.min(startCash);
        uint256 instant = cash0 < cashOut
            ? FixedPointMath.WAD
            : RateCurveLib.utilization(totalPrincipal + principal, cash0 - cashOut);
        uint256 held = (u * FixedPointMath.WAD).max(totalPrincipal * inv);
        uint256 averaged =
            _divUp(held + principal * inv, FixedPointMath.WAD + (principal - cashOut) * inv / FixedPointMath.WAD);
        return instant.max(averaged).min(FixedPointMath.WAD);
    }

    /// @notice `INVERSE_SCALE / total`, rounded up (at most 1e36: it fits the 128-bit field); 0 for an empty pool.
    function inverseTotal(uint256 total) internal pure returns (uint256) {
        return total == 0 ? 0 : _divUp(INVERSE_SCALE, total);
    }

    /// @dev The packed slot: `utilizationAvg` (bits 0-63), `inverseTotalAvg` (64-191), `updatedAt` (192-231),
    ///      `window` (232-255), as Solidity lays out `RateState`; read and written whole.
    function _load(RateState storage r) private view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(r.slot)
        }
    }

    /// @dev The averages of `word` integrated up to now, and its stored window (0: default).
    function _integrate(uint256 word, uint256 principal, uint256 available)
        private
        view
        returns (uint256 u, uint256 inv, uint256 window)
    {
        u = uint64(word);
        inv = uint128(word >> 64);
        uint256 last = uint40(word >> 192);
        window = uint24(word >> 232);
        if (last == block.timestamp) return (u, inv, window);
        uint256 w = window == 0 ? DEFAULT_WINDOW : window;
        uint256 s = (block.timestamp - last).min(w);
        u = _step(u, RateCurveLib.utilization(principal, available), s, w);
        inv = _step(inv, inverseTotal(principal + available), s, w);
    }

    function _markTxStart(uint256 available) private {
        uint256 mark;
        bytes32 slot = TX_START_CASH;
        assembly ("memory-safe") {
            mark := tload(slot)
        }
        if (mark >> 128 == block.number + 1) return;
        mark = (block.number + 1) << 128 | available.min(type(uint128).max);
        assembly ("memory-safe") {
            tstore(slot, mark)
        }
    }

    /// @dev One step of the linear EMA, `(avg·(w - s) + x·s) / w` rounded up, with `s <= w`.
    function _step(uint256 avg, uint256 x, uint256 s, uint256 w) private pure returns (uint256) {
        return _divUp(avg * (w - s) + x * s, w);
    }

    /// @dev `ceil(x / d)`, `d > 0`. No overflow: every numerator is below 2^250 (WAD², principal < 2^128 times an
    ///      inverse <= 1e36 < 2^120, an average times a window < 2^24).
    function _divUp(uint256 x, uint256 d) private pure returns (uint256) {
        return x == 0 ? 0 : (x - 1) / d + 1;
    }
}
