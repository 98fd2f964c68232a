// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {AuctionStatus} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, LoanStatus, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {AssetTransfer} from "../../src/libraries/AssetTransfer.sol";
import {ReentrantBuyer} from "../mocks/ReentrantBuyer.sol";
import {HostileAssetBase} from "./HostileAssetBase.sol";

/// @notice ERC-20 hook reentrancy (ERC-777-like pool asset). The hook fires inside every asset movement of every entry
///         point; the attacker re-enters the same entry point (or the contract whose lock is held) and is refused with
///         `ReentrancyGuardReentrantCall`; the outer call completes exactly once and the books balance. Where a
///         movement happens while the *pool* is unlocked (the vault's inbound pull in deposit/mint, the liquidator's
///         inbound pull in buy/redeem, the vault's payout in claimRedeem), a nested pool call that moves the asset
///         breaks the outer call's exact balance check (`AssetTransfer.pullExact`), so nothing is double counted.
///         `liquidate` moves no ERC-20 (only the NFT: test/liquidation/Reentrancy.t.sol).
contract HostileAssetReentrancyTest is HostileAssetBase {
    ReentrantBuyer internal attacker;
    uint256 internal constant ATTACKER_NFT = 1000;

    function setUp() public override {
        super.setUp();
        attacker = new ReentrantBuyer();
        hostile.setHook(address(attacker));
        hostile.mint(address(attacker), 1_000_000 * USDC);
        _exec(address(hostile), abi.encodeCall(hostile.approve, (address(pool), type(uint256).max)));
        _exec(address(hostile), abi.encodeCall(hostile.approve, (address(junior), type(uint256).max)));
        _exec(address(hostile), abi.encodeCall(hostile.approve, (address(senior), type(uint256).max)));
        _exec(address(hostile), abi.encodeCall(hostile.approve, (address(liquidator), type(uint256).max)));
        _exec(address(apes), abi.encodeCall(apes.setApprovalForAll, (address(pool), true)));
        for (uint256 i; i < 3; ++i) {
            apes.mint(address(attacker), ATTACKER_NFT + i);
        }
    }

    function _exec(address to, bytes memory data) internal returns (bytes memory) {
        return attacker.exec(to, data);
    }

    function _assertBlocked() internal view {
        assertTrue(attacker.reentered(), "the hook ran");
        assertFalse(attacker.reentrySucceeded(), "re-entry refused");
        assertEq(
            attacker.reentryRevert(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "ReentrancyGuardReentrantCall"
        );
        _assertSolvent();
    }

    function _attackerBorrow(uint256 i, uint256 principal) internal returns (uint256) {
        bytes memory ret = _exec(
            address(pool),
            abi.encodeCall(
                IStrataPool.borrow, (address(apes), ATTACKER_NFT + i, principal, 30 days, type(uint256).max, _noProof())
            )
        );
        return abi.decode(ret, (uint256));
    }

    function _attackerJuniorDeposit(uint256 assets) internal returns (uint256) {
        return
            abi.decode(_exec(address(junior), abi.encodeCall(junior.deposit, (assets, address(attacker)))), (uint256));
    }

    /// @dev A senior position for the attacker (junior first, for the subordination room). Junior exits are notice
    ///      requests, so the instant-exit and instant-service re-entries run against the senior vault.
    function _attackerSeniorDeposit(uint256 assets) internal returns (uint256) {
        _attackerJuniorDeposit(assets);
        return
            abi.decode(_exec(address(senior), abi.encodeCall(senior.deposit, (assets, address(attacker)))), (uint256));
    }

    // ------------------------------------------------------------------ vaults

    function test_attack_erc20Hook_deposit_reentersDeposit() public {
        uint256 expected = junior.previewDeposit(10_000 * USDC);
        uint256 cashBefore = pool.cash();
        attacker.arm(address(junior), abi.encodeCall(junior.deposit, (1000 * USDC, address(attacker))));
        _attackerJuniorDeposit(10_000 * USDC);
        _assertBlocked();
        assertEq(junior.balanceOf(address(attacker)), expected, "shares minted once");
        assertEq(pool.cash(), cashBefore + 10_000 * USDC, "booked once");
    }

    /// @dev The pool is unlocked while the vault pulls the deposit: a nested pool inflow (here `recover`) succeeds, but
    ///      then the outer pull sees 15k arrive for 10k sent and the whole transaction reverts: no double count.
    function test_attack_erc20Hook_deposit_nestedPoolInflowCannotBeDoubleCounted() public {
        attacker.arm(address(pool), abi.encodeCall(pool.recover, (5000 * USDC)));
        vm.expectRevert(
            abi.encodeWithSelector(AssetTransfer.FeeOnTransferNotSupported.selector, 10_000 * USDC, 15_000 * USDC)
        );
        _exec(address(junior), abi.encodeCall(junior.deposit, (10_000 * USDC, address(attacker))));
        assertEq(pool.cash(), 1_000_000 * USDC, "nothing booked");
        assertEq(hostile.balanceOf(address(attacker)), 1_000_000 * USDC, "nothing moved");
    }

    function test_attack_erc20Hook_withdrawAndRedeem_reenterVaultAndPool() public {
        uint256 shares = _attackerSeniorDeposit(100_000 * USDC);
        bytes[3] memory reentries = [
            abi.encodeCall(senior.withdraw, (1000 * USDC, address(attacker), address(attacker))),
            abi.encodeCall(senior.redeem, (shares / 10, address(attacker), address(attacker))),
            abi.encodeCall(pool.recover, (1000 * USDC))
        ];
        address[3] memory targets = [address(senior), address(senior), address(pool)];
        for (uint256 i; i < 3; ++i) {
            for (uint256 viaRedeem; viaRedeem < 2; ++viaRedeem) {
                uint256 snap = vm.snapshotState();
                attacker.arm(targets[i], reentries[i]);
                uint256 balBefore = hostile.balanceOf(address(attacker));
                if (viaRedeem == 0) {
                    _exec(
                        address(senior),
                        abi.encodeCall(senior.withdraw, (10_000 * USDC, address(attacker), address(attacker)))
                    );
                    assertEq(hostile.balanceOf(address(attacker)), balBefore + 10_000 * USDC, "paid once");
                } else {
                    uint256 assets = senior.previewRedeem(shares / 2);
                    _exec(
                        address(senior),
                        abi.encodeCall(senior.redeem, (shares / 2, address(attacker), address(attacker)))
                    );
                    assertEq(hostile.balanceOf(address(attacker)), balBefore + assets, "paid once");
                    assertEq(senior.balanceOf(address(attacker)), shares - shares / 2, "burned once");
                }
                _assertBlocked();
                vm.revertToState(snap);
            }
        }
    }

    function test_attack_erc20Hook_requestRedeem_reentersProcessQueue() public {
        uint256 shares = _attackerSeniorDeposit(100_000 * USDC);
        attacker.arm(address(senior), abi.encodeCall(senior.processQueue, (10)));
        // Served at once (auto-serve): the pool pays the vault inside both locks.
        bytes memory ret = _exec(
            address(senior), abi.encodeCall(senior.requestRedeem, (shares / 2, address(attacker), address(attacker)))
        );
        uint256 id = abi.decode(ret, (uint256));
        _assertBlocked();
        assertEq(senior.redeemRequest(id).claimableShares, shares / 2, "served once");
        assertEq(hostile.balanceOf(address(senior)), senior.totalClaimableAssets(), "vault holds exactly the claims");
    }

    function test_attack_erc20Hook_processQueue_reentersQueueAndPool() public {
        // alice's whole junior position waits (no subordination room), then the attacker adds room and serves.
        uint256 aliceShares = junior.balanceOf(alice);
        vm.prank(alice);
        uint256 id = junior.requestRedeem(aliceShares, alice, alice);
        assertEq(junior.redeemRequest(id).claimableShares, 0, "pending");
        _attackerJuniorDeposit(100_000 * USDC);
        vm.warp(block.timestamp + junior.noticePeriod()); // alice's notice elapses
        uint256 room = pool.servable(Tranche.Junior);
        assertGt(room, 99_000 * USDC, "the attacker's deposit made room");
        bytes[2] memory reentries = [
            abi.encodeCall(junior.processQueue, (1)),
            abi.encodeCall(
                IStrataPool.borrow, (address(apes), ATTACKER_NFT, 10_000 * USDC, 30 days, type(uint256).max, _noProof())
            )
        ];
        address[2] memory targets = [address(junior), address(pool)];
        for (uint256 i; i < 2; ++i) {
            uint256 snap = vm.snapshotState();
            attacker.arm(targets[i], reentries[i]);
            _exec(address(junior), abi.encodeCall(junior.processQueue, (1)));
            _assertBlocked();
            assertEq(junior.totalClaimableAssets(), room, "served once, up to the room");
            assertEq(apes.ownerOf(ATTACKER_NFT), address(attacker), "no nested loan");
            vm.revertToState(snap);
        }
    }

    function test_attack_erc20Hook_claimRedeem_reentersClaim() public {
        uint256 shares = _attackerSeniorDeposit(100_000 * USDC);
        uint256 id = abi.decode(
            _exec(
                address(senior),
                abi.encodeCall(senior.requestRedeem, (shares / 2, address(attacker), address(attacker)))
            ),
            (uint256)
        );
        uint256 owed = senior.redeemRequest(id).claimableAssets;
        assertGt(owed, 0);
        attacker.arm(address(senior), abi.encodeCall(senior.claimRedeem, (id, address(attacker))));
        uint256 balBefore = hostile.balanceOf(address(attacker));
        _exec(address(senior), abi.encodeCall(senior.claimRedeem, (id, address(attacker))));
        _assertBlocked();
        assertEq(hostile.balanceOf(address(attacker)), balBefore + owed, "claimed once");
        assertEq(senior.totalClaimableAssets(), 0);
        assertEq(hostile.balanceOf(address(senior)), 0);
    }

    // ------------------------------------------------------------------ pool

    function test_attack_erc20Hook_borrow_reentersBorrowAndDeposit() public {
        bytes[2] memory reentries = [
            abi.encodeCall(
                IStrataPool.borrow,
                (address(apes), ATTACKER_NFT + 1, 10_000 * USDC, 30 days, type(uint256).max, _noProof())
            ),
            abi.encodeCall(junior.deposit, (1000 * USDC, address(attacker))) // vault free, pool.onDeposit locked
        ];
        address[2] memory targets = [address(pool), address(junior)];
        for (uint256 i; i < 2; ++i) {
            uint256 snap = vm.snapshotState();
            attacker.arm(targets[i], reentries[i]);
            uint256 id = _attackerBorrow(0, 40_000 * USDC);
            _assertBlocked();
            assertEq(pool.nextLoanId(), id + 1, "one loan");
            assertEq(apes.ownerOf(ATTACKER_NFT + 1), address(attacker));
            assertEq(junior.balanceOf(address(attacker)), 0, "no nested deposit");
            assertEq(pool.cash(), 1_000_000 * USDC - 40_000 * USDC);
            vm.revertToState(snap);
        }
    }

    function test_attack_erc20Hook_repay_reentersRepay() public {
        uint256 id = _attackerBorrow(0, 40_000 * USDC);
        vm.warp(block.timestamp + 10 days);
        attacker.arm(address(pool), abi.encodeCall(pool.repay, (id, type(uint256).max)));
        uint256 balBefore = hostile.balanceOf(address(attacker));
        uint256 paid = abi.decode(_exec(address(pool), abi.encodeCall(pool.repay, (id, type(uint256).max))), (uint256));
        _assertBlocked();
        assertEq(balBefore - hostile.balanceOf(address(attacker)), paid, "paid once");
        assertEq(apes.ownerOf(ATTACKER_NFT), address(attacker));
        _assertLoanStatus(id, LoanStatus.Repaid);
    }

    function test_attack_erc20Hook_extend_reentersExtendAndRepay() public {
        uint256 id = _attackerBorrow(0, 40_000 * USDC);
        vm.warp(block.timestamp + 10 days);
        _pushPrice(address(apes), 100_000 * USDC);
        bytes[2] memory reentries =
            [abi.encodeCall(pool.extend, (id, 30 days, type(uint256).max)), abi.encodeCall(pool.repay, (id, 1))];
        for (uint256 i; i < 2; ++i) {
            uint256 snap = vm.snapshotState();
            attacker.arm(address(pool), reentries[i]);
            _exec(address(pool), abi.encodeCall(pool.extend, (id, 30 days, type(uint256).max)));
            _assertBlocked();
            assertEq(pool.loan(id).start, block.timestamp, "extended once");
            assertEq(pool.loan(id).principal, 40_000 * USDC, "no nested payment");
            vm.revertToState(snap);
        }
    }

    function test_attack_erc20Hook_recover_reentersRecover() public {
        attacker.arm(address(pool), abi.encodeCall(pool.recover, (1)));
        _exec(address(pool), abi.encodeCall(pool.recover, (1000 * USDC)));
        _assertBlocked();
        assertEq(pool.cash(), 1_000_000 * USDC + 1000 * USDC);
    }

    // ------------------------------------------------------------------ liquidator

    function _attackerAuction() internal returns (uint256 id) {
        id = _attackerBorrow(0, 40_000 * USDC);
        _crashTo(address(apes), 50_000 * USDC); // 40k > 35k: unhealthy
        _liquidate(id);
    }

    function test_attack_erc20Hook_buy_reentersBuy() public {
        uint256 id = _attackerAuction();
        uint256 id2 = _attackerBorrow(1, 10_000 * USDC);
        _crashTo(address(apes), 10_000 * USDC);
        _liquidate(id2);
        attacker.arm(address(liquidator), abi.encodeCall(liquidator.buy, (id2, type(uint256).max)));
        uint256 balBefore = hostile.balanceOf(address(attacker));
        uint256 price =
            abi.decode(_exec(address(liquidator), abi.encodeCall(liquidator.buy, (id, type(uint256).max))), (uint256));
        _assertBlocked();
        assertEq(price, 75_000 * USDC, "start price 50k x 1.5");
        assertEq(balBefore - hostile.balanceOf(address(attacker)), price, "paid once");
        assertEq(apes.ownerOf(ATTACKER_NFT), address(attacker));
        assertEq(uint256(liquidator.auction(id2).status), uint256(AuctionStatus.Running), "other auction untouched");
    }

    function test_attack_erc20Hook_redeem_reentersRedeemAndBuy() public {
        uint256 id = _attackerAuction();
        bytes[2] memory reentries =
            [abi.encodeCall(liquidator.redeem, (id)), abi.encodeCall(liquidator.buy, (id, type(uint256).max))];
        for (uint256 i; i < 2; ++i) {
            uint256 snap = vm.snapshotState();
            attacker.arm(address(liquidator), reentries[i]);
            uint256 balBefore = hostile.balanceOf(address(attacker));
            uint256 amount = abi.decode(_exec(address(liquidator), abi.encodeCall(liquidator.redeem, (id))), (uint256));
            _assertBlocked();
            assertEq(balBefore - hostile.balanceOf(address(attacker)), amount, "paid once");
            assertEq(uint256(liquidator.auction(id).status), uint256(AuctionStatus.Redeemed), "settled once");
            assertEq(apes.ownerOf(ATTACKER_NFT), address(attacker));
            vm.revertToState(snap);
        }
    }

    function test_attack_erc20Hook_claim_reentersClaim() public {
        uint256 id = _attackerAuction();
        _exec(address(liquidator), abi.encodeCall(liquidator.buy, (id, type(uint256).max)));
        uint256 surplus = liquidator.claimable(address(attacker));
        assertEq(surplus, 75_000 * USDC - 42_000 * USDC, "price - (debt + 5 % penalty)");
        attacker.arm(address(liquidator), abi.encodeCall(liquidator.claim, (address(attacker))));
        uint256 balBefore = hostile.balanceOf(address(attacker));
        _exec(address(liquidator), abi.encodeCall(liquidator.claim, (address(attacker))));
        _assertBlocked();
        assertEq(hostile.balanceOf(address(attacker)), balBefore + surplus, "claimed once");
        assertEq(liquidator.totalClaimable(), 0);
    }

    function test_attack_erc20Hook_tranchesUntouchedByRefusedReentry() public {
        // Sanity: the refused re-entries above left the share ledgers in sync with the vaults.
        _attackerJuniorDeposit(10_000 * USDC);
        (, uint256 supplyJ) = pool.queueState(Tranche.Junior);
        assertEq(supplyJ, junior.totalSupply());
    }
}
