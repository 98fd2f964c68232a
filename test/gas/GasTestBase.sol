// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice What every SPEC §10 gas suite shares: amounts in units of the asset, and the snapshot group its figures go
///         to, `<group>` for the 6-decimal asset and `<group>-18` when a subclass runs it over an 18-decimal one (SPEC
///         §10.3: the ceilings hold for both).
abstract contract GasTestBase is StrataTestBase {
    /// @dev One unit of the asset.
    uint256 internal immutable U = 10 ** _assetDecimals();

    /// @dev The suite's snapshot group for the 6-decimal asset (`snapshots/<group>.json`).
    function _group() internal pure virtual returns (string memory);

    /// @dev The group the figures of this run are written to.
    function _gasGroup() internal pure returns (string memory) {
        return _assetDecimals() == 18 ? string.concat(_group(), "-18") : _group();
    }
}
