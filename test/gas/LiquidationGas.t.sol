// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {GasCeilings} from "./GasCeilings.sol";
import {GasTestBase} from "./GasTestBase.sol";

/// @notice SPEC §10 gas figures of the liquidation path, warm: the pool has lenders, several loans and a fresh price,
///         and the keeper, buyer and redeemer have each done the same operation once before the measured call.
///         SPEC targets: `liquidate` <= 150k, `buy` <= 120k. Measured (see the liquidation report): `liquidate`
///         ~166k and `buy` with a borrower surplus ~128k miss them; `buy` at a shortfall (no surplus) meets it. The
///         asserted ceilings below are regression guards at today's figures, not the targets.
///         #12 (rate integrity, SPEC §3): `impair` and `completeLiquidation` change principal and cash, so each first
///         integrates the time-weighted utilization (one cold slot read, one write per new timestamp, the queue's
///         pending shares read for the available cash, a transient mark): +5.3k to +11k. `liquidate` is now 152.8k,
///         2.8k over the 150k target; the guards below moved by exactly that cost. The delegation merge (impair in
///         `LoanLogic`, an external library call) added 3.7k: `liquidate` 158.9k.
contract LiquidationGasTest is GasTestBase {
    function _group() internal pure override returns (string memory) {
        return "pool";
    }

    address internal buyer = makeAddr("buyer");
    uint256[6] internal loans;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * U, 200_000 * U);
        _deposit(Tranche.Junior, dave, 50_000 * U);
        for (uint256 i; i < 6; ++i) {
            (loans[i],) = _borrow(i % 2 == 0 ? carol : dave, apes, 45_000 * U, 30 days);
        }
        _borrow(carol, punks, 10_000 * U, 30 days); // a healthy loan in another collection
        vm.warp(block.timestamp + 1 days);
        // 100k -> 60k: every 45k apes loan is unhealthy (limit 42k), the punks loan is not.
        _pushPrice(address(apes), 60_000 * U);
        _pushPrice(address(punks), 40_000 * U);
        _fund(buyer, 1_000_000 * U);
        _fund(carol, 500_000 * U);
        vm.startPrank(keeper);
        liquidator.liquidate(loans[0]); // the keeper's first liquidation (cold)
        liquidator.liquidate(loans[2]);
        liquidator.liquidate(loans[3]);
        liquidator.liquidate(loans[4]);
        liquidator.liquidate(loans[5]);
        vm.stopPrank();
        vm.warp(block.timestamp + 1 hours);
        vm.prank(buyer);
        liquidator.buy(loans[0], type(uint256).max); // the buyer's first purchase (cold)
        vm.prank(carol);
        liquidator.redeem(loans[2]); // the redeemer's first redemption (cold)
    }

    function test_gas_liquidate() public {
        // The first change of its timestamp (issue #30): it pays the rate and senior checkpoints, the conservative
        // figure (in the set-up's last timestamp it would skip them, ~2.9k less).
        vm.warp(block.timestamp + 1);
        vm.prank(keeper);
        liquidator.liquidate(loans[1]);
        uint256 used = vm.snapshotGasLastCall(_gasGroup(), "liquidate");
        // One fresh auction slot (~22k), the oracle, the cold reads of the loan and the pool's impairment bookkeeping,
        // in `LoanLogic` (one delegatecall). No token moves: the pool keeps it through the auction (issue #30, SPEC
        // 7.1; ~24k less than the transfer to the liquidator it replaced).
        assertLe(used, GasCeilings.LIQUIDATE, "liquidate: SPEC 10.3 ceiling");
        assertLe(used, GasCeilings.TARGET_LIQUIDATE, "liquidate: issue #30 target");
    }

    function test_gas_buy() public {
        // After the auction's end (30k < debt + penalty): everything goes to the pool, no surplus.
        vm.warp(block.timestamp + 3 days);
        vm.prank(buyer);
        liquidator.buy(loans[5], type(uint256).max);
        uint256 used = vm.snapshotGasLastCall(_gasGroup(), "buy");
        assertEq(liquidator.claimable(dave), 0, "shortfall path");
        // SPEC §10.3: 120k until 0.3; the senior accrual checkpoint (SPEC §5.1, #28: a cold read and a write of the
        // senior slot before the proceeds change cash) adds ~4.7k net of the queue flag it brought (measured 122,257).
        assertLe(used, GasCeilings.BUY, "buy: SPEC 10.3 ceiling");
    }

    function test_gas_buy_with_surplus() public {
        // One hour in, the price (~89k) is above debt + penalty: a second transfer brings the surplus to the
        // liquidator and the borrower's first claimable balance is a fresh slot (~22k).
        vm.prank(buyer);
        liquidator.buy(loans[3], type(uint256).max);
        uint256 used = vm.snapshotGasLastCall(_gasGroup(), "buy_with_surplus");
        assertGt(liquidator.claimable(dave), 0, "surplus path: the borrower's first credit");
        assertLe(used, GasCeilings.BUY_WITH_SURPLUS, "buy with surplus: SPEC 10.3 ceiling");
    }

    function test_gas_redeem_nft() public {
        vm.prank(carol);
        liquidator.redeem(loans[4]);
        uint256 used = vm.snapshotGasLastCall(_gasGroup(), "redeem_nft");
        assertLe(used, GasCeilings.REDEEM_NFT, "redeem_nft: SPEC 10.3 ceiling");
    }
}

/// @notice The same figures over an 18-decimal asset (SPEC §10.3: the ceilings hold for 6- and 18-decimal assets).
contract LiquidationGas18Test is LiquidationGasTest {
    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }
}
