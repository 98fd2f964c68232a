// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LiquidationBase} from "../liquidation/LiquidationBase.sol";
import {HostileERC20} from "../mocks/HostileERC20.sol";
import {MockStablecoin} from "../mocks/MockStablecoin.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice The whole protocol redeployed (with `_deployStrata`, as test_feeOnTransferAsset_rejected does) over a
///         hostile pool asset: a transfer hook that can re-enter, and a blacklist. Every helper of the base
///         (`_fund`, `_deposit`, `_borrow`, `_assertSolvent`...) then works against the hostile system.
abstract contract HostileAssetBase is LiquidationBase {
    HostileERC20 internal hostile;

    function setUp() public virtual override {
        StrataTestBase.setUp();
        hostile = new HostileERC20();
        usdc = MockStablecoin(address(hostile));
        d = _deployStrata(_config(), address(this)); // _config() reads address(usdc): the hostile token
        pool = d.pool;
        senior = d.senior;
        junior = d.junior;
        oracle = d.oracle;
        registry = d.registry;
        liquidator = d.liquidator;
        lens = d.lens;
        gov = address(d.timelock);
        vm.startPrank(gov);
        oracle.setReporter(reporter, true);
        oracle.configureCollection(address(apes), 0, 5000, 1 days);
        oracle.configureCollection(address(punks), 0, 5000, 1 days);
        registry.configureCollection(address(apes), _paramsA());
        registry.configureCollection(address(punks), _paramsB());
        vm.stopPrank();
        _pushPrice(address(apes), _floorA());
        _pushPrice(address(punks), _floorB());
        assertEq(pool.asset(), address(hostile), "the hostile system");
        _seed();
    }
}
