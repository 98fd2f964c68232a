// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LiquidationBase} from "../liquidation/LiquidationBase.sol";
import {HostileERC20} from "../mocks/HostileERC20.sol";

/// @notice The whole protocol deployed (the base's `setUp`, through `_newAsset`) over a hostile pool asset: a
///         transfer hook that can re-enter, and a blacklist. Every helper of the base
///         (`_fund`, `_deposit`, `_borrow`, `_assertSolvent`...) then works against the hostile system.
abstract contract HostileAssetBase is LiquidationBase {
    HostileERC20 internal hostile;

    function _newAsset() internal override returns (address) {
        hostile = new HostileERC20();
        return address(hostile);
    }

    function setUp() public virtual override {
        super.setUp();
        assertEq(pool.asset(), address(hostile), "the hostile system");
    }
}
