// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IFloorOracle} from "../../src/interfaces/IFloorOracle.sol";
import {Loan, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice Shared arithmetic for the tests that close the gaps found by mutation testing (docs/coverage.md). Every
///         expected figure is computed here with plain integer arithmetic, never by calling the code under test, and
///         every rounding test first asserts that its figures do NOT divide exactly (else up and down would agree).
abstract contract MutationBase is StrataTestBase {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant YEAR = 365 days;
    uint256 internal constant VIRTUAL_SHARES = 1e6;

    /// @dev Makes loan `l`'s appraisal exactly `value` (fresh) wherever it is read, by mocking its collection's oracle:
    ///      the liquidator reads the floor from the oracle itself (one pool call per liquidation, issue #30), the
    ///      registry's `appraisal` view from the same oracle. `value` must be a whole multiple of the loan's rarity.
    function _mockAppraisal(Loan memory l, uint256 value) internal {
        uint256 floor = value * 10_000 / l.rarityBps;
        assertEq(floor * l.rarityBps / 10_000, value, "appraisal not reachable with this rarity");
        vm.mockCall(
            registry.oracleOf(l.collection),
            abi.encodeCall(IFloorOracle.floorPrice, (l.collection)),
            abi.encode(floor, block.timestamp, true)
        );
    }

    function _unit() internal pure returns (uint256) {
        return 10 ** _assetDecimals();
    }

    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    /// @dev SPEC §3: `ceil(principal * apr * elapsed / (365 days * 1e18))`.
    function _interest(uint256 principal, uint256 apr, uint256 elapsed) internal pure returns (uint256) {
        return _ceilDiv(principal * apr * elapsed, YEAR * WAD);
    }

    /// @dev SPEC §5: the senior claim compounded for `elapsed` (third-order Taylor, each term rounded down).
    function _compound(uint256 claim, uint256 rate, uint256 elapsed) internal pure returns (uint256) {
        uint256 x = rate * elapsed / YEAR;
        uint256 x2 = x * x / (2 * WAD);
        uint256 x3 = x2 * x / (3 * WAD);
        return claim + claim * (x + x2 + x3) / WAD;
    }

    function _assertInexact(uint256 numerator, uint256 denominator, string memory what) internal pure {
        assertTrue(numerator % denominator != 0, string.concat(what, " must not divide exactly"));
    }

    function _setRatio(uint256 bps) internal {
        vm.prank(gov);
        pool.setMinJuniorRatio(bps);
    }

    function _setFees(uint256 originationBps, uint256 protocolBps) internal {
        vm.prank(gov);
        pool.setFees(originationBps, protocolBps);
    }

    /// @dev Re-pushes both floors so that prices are fresh after a warp.
    function _refreshPrices() internal {
        _pushPrice(address(apes), _floorA());
        _pushPrice(address(punks), _floorB());
    }

    /// @dev ERC-4626 `convertToAssets` of the vaults (virtual offset 10^6), rounded down.
    function _assetsOf(Tranche t, uint256 shares) internal view returns (uint256) {
        return shares * (_vault(t).totalAssets() + 1) / (_vault(t).totalSupply() + VIRTUAL_SHARES);
    }
}
