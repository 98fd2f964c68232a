// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @dev The ERC-7540 redeem interfaces as the standard defines them, to derive the ERC-165 ids from the selectors.
interface IERC7540Operator {
    function setOperator(address operator, bool approved) external returns (bool);
    function isOperator(address controller, address operator) external view returns (bool);
}

interface IERC7540Redeem {
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);
}

interface IERC7540Deposit {
    function requestDeposit(uint256 assets, address controller, address owner) external returns (uint256 requestId);
    function pendingDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);
    function claimableDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);
    function deposit(uint256 assets, address receiver, address controller) external returns (uint256 shares);
    function mint(uint256 shares, address receiver, address controller) external returns (uint256 assets);
}

/// @notice Every MUST of ERC-7540 (asynchronous redeem) and ERC-7575 that applies to the junior vault, as fuzzed
///         properties in the style of the a16z ERC-4626 property suite: ERC-165 ids (derived from the selectors),
///         `share()`, previews reverting for every caller and input, `max*` never reverting and equal to what a claim
///         accepts (and one past refused), claims by the controller or its operator only, request and claim effects
///         and events (`RedeemRequest`, `OperatorSet`, `Withdraw`), views independent of the caller and never
///         reverting, no push at service, shares burned by the claim. Plus the vault's own request-id rule:
///         per-request ids, claims from the controller's total, oldest served shares first.
contract ERC7540PropertiesTest is StrataTestBase {
    event RedeemRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares
    );
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    event Withdraw(
        address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares
    );

    /// @dev Request ids of the fuzzed state, by controller.
    uint256[] internal aliceIds;
    uint256[] internal daveIds;

    /// @dev A random live pool with junior room to serve: junior 35–50% of NAV, a loan, elapsed interest; alice and
    ///      dave hold junior shares; alice makes two requests and dave one, the notice elapses, the line is served
    ///      (in part when `seed` lends most cash out), and alice may have claimed part already.
    function _state(uint256 seed) internal {
        _seedLiquidity(bound(seed, 500_000, 700_000) * USDC, bound(seed >> 24, 350_000, 500_000) * USDC);
        _deposit(Tranche.Junior, dave, bound(seed >> 48, 1000, 100_000) * USDC);
        _borrow(carol, apes, bound(seed >> 72, 1000, 50_000) * USDC, 60 days);
        vm.warp(block.timestamp + bound(seed >> 96, 0, 30 days));
        _pushPrice(address(apes), _floorA());
        aliceIds.push(_request(alice, junior.balanceOf(alice) * bound(seed >> 120, 1, 40) / 1000));
        daveIds.push(_request(dave, junior.balanceOf(dave) * bound(seed >> 136, 1, 900) / 1000));
        aliceIds.push(_request(alice, junior.balanceOf(alice) * bound(seed >> 152, 1, 40) / 1000));
        vm.warp(block.timestamp + junior.noticePeriod());
        _pushPrice(address(apes), _floorA());
        if (seed >> 168 & 1 == 1) {
            // Lend most of the cash out: the line is served in part (or not at all).
            uint256 avail = pool.availableCash();
            uint256 lend = avail * bound(seed >> 176, 50, 99) / 100;
            while (lend > 1000 * USDC) {
                uint256 p = lend < 50_000 * USDC ? lend : 50_000 * USDC;
                _borrow(bob, apes, p, 30 days);
                lend -= p;
            }
        }
        vm.prank(keeper);
        junior.processQueue(10);
        uint256 part = junior.maxRedeem(alice) * bound(seed >> 192, 0, 100) / 100;
        if (part != 0) {
            vm.prank(alice);
            junior.redeem(part, alice, alice);
        }
    }

    function _request(address who, uint256 shares) internal returns (uint256 id) {
        vm.prank(who);
        id = junior.requestRedeem(shares == 0 ? 1 : shares, who, who);
    }

    function _sumClaimable(uint256[] storage ids, address controller) internal view returns (uint256 sum) {
        for (uint256 i; i < ids.length; ++i) {
            sum += junior.claimableRedeemRequest(ids[i], controller);
        }
    }

    // ------------------------------------------------------------------ ERC-165, ERC-7575

    function test_supportsInterface_idsFromTheStandardsSelectors() public view {
        bytes4 operatorId = IERC7540Operator.setOperator.selector ^ IERC7540Operator.isOperator.selector;
        bytes4 redeemId = IERC7540Redeem.requestRedeem.selector ^ IERC7540Redeem.pendingRedeemRequest.selector
            ^ IERC7540Redeem.claimableRedeemRequest.selector;
        bytes4 depositId = IERC7540Deposit.requestDeposit.selector ^ IERC7540Deposit.pendingDepositRequest.selector
            ^ IERC7540Deposit.claimableDepositRequest.selector ^ IERC7540Deposit.deposit.selector
            ^ IERC7540Deposit.mint.selector;
        assertEq(operatorId, bytes4(0xe3bc4e65), "operator id");
        assertEq(redeemId, bytes4(0x620ee8e4), "async redeem id");
        assertEq(depositId, bytes4(0xce3bbe50), "async deposit id");
        // Junior: ERC-165, ERC-7575, ERC-7540 operator and async redeem; not async deposit (deposits are ERC-4626).
        assertTrue(junior.supportsInterface(0x01ffc9a7), "junior ERC-165");
        assertTrue(junior.supportsInterface(0x2f0a18c5), "junior ERC-7575");
        assertTrue(junior.supportsInterface(operatorId), "junior ERC-7540 operator");
        assertTrue(junior.supportsInterface(redeemId), "junior ERC-7540 async redeem");
        assertFalse(junior.supportsInterface(depositId), "junior is not async on deposit");
        assertFalse(junior.supportsInterface(0xffffffff), "ERC-165: 0xffffffff is never supported");
        // Senior: ERC-4626 (synchronous) + ERC-7575 + ERC-165 only.
        assertTrue(senior.supportsInterface(0x01ffc9a7), "senior ERC-165");
        assertTrue(senior.supportsInterface(0x2f0a18c5), "senior ERC-7575");
        assertFalse(senior.supportsInterface(operatorId), "senior is not an ERC-7540 vault");
        assertFalse(senior.supportsInterface(redeemId), "senior is not async on redeem");
        assertFalse(senior.supportsInterface(depositId), "senior is not async on deposit");
        assertFalse(senior.supportsInterface(0xffffffff), "senior: 0xffffffff");
        // ERC-7575: the share token is the vault itself.
        assertEq(junior.share(), address(junior), "junior share()");
        assertEq(senior.share(), address(senior), "senior share()");
    }

    function testFuzz_supportsInterface_onlyTheClaimedIds(bytes4 id) public view {
        bool claimedByBoth = id == 0x01ffc9a7 || id == 0x2f0a18c5;
        bool juniorOnly = id == 0xe3bc4e65 || id == 0x620ee8e4;
        assertEq(junior.supportsInterface(id), claimedByBoth || juniorOnly, "junior");
        assertEq(senior.supportsInterface(id), claimedByBoth, "senior");
    }

    // ------------------------------------------------------------------ previews revert

    function testFuzz_previews_revertForEveryCallerAndInput(uint256 seed, address caller, uint256 amount) public {
        _state(seed);
        vm.prank(caller);
        vm.expectRevert(ITrancheVault.AsyncRedeemNoPreview.selector);
        junior.previewRedeem(amount);
        vm.prank(caller);
        vm.expectRevert(ITrancheVault.AsyncRedeemNoPreview.selector);
        junior.previewWithdraw(amount);
    }

    // ------------------------------------------------------------------ max*: never revert, equal the claimable

    function testFuzz_max_neverRevert_equalClaimable(uint256 seed, address anyone, address caller) public {
        _state(seed);
        vm.startPrank(caller);
        uint256 r = junior.maxRedeem(anyone);
        uint256 w = junior.maxWithdraw(anyone);
        vm.stopPrank();
        ITrancheVault.ClaimableRedeem memory c = junior.claimableRedeem(anyone);
        assertEq(r, c.shares, "maxRedeem == claimable shares");
        assertEq(w, c.assets, "maxWithdraw == claimable assets");
        // The per-request claimable views add up to the controller's total.
        assertEq(_sumClaimable(aliceIds, alice), junior.maxRedeem(alice), "alice: requests add up to maxRedeem");
        assertEq(_sumClaimable(daveIds, dave), junior.maxRedeem(dave), "dave: requests add up to maxRedeem");
    }

    /// @dev `redeem` accepts any shares up to `maxRedeem` (from the controller), pays at most `maxWithdraw`, moves
    ///      exactly what it returns, emits `Withdraw(caller, receiver, controller, assets, shares)`, and lowers the
    ///      claimable by exactly that; one share past `maxRedeem` is refused.
    function testFuzz_redeem_acceptsUpToMax(uint256 seed, uint256 shares, address receiver) public {
        _state(seed);
        vm.assume(receiver != address(0) && receiver != address(junior) && receiver != address(pool));
        uint256 max = junior.maxRedeem(alice);
        uint256 maxAssets = junior.maxWithdraw(alice);
        if (max != 0) {
            shares = bound(shares, 1, max);
            uint256 expected = shares == max ? maxAssets : maxAssets * shares / max;
            uint256 before = usdc.balanceOf(receiver);
            uint256 supply = junior.totalSupply();
            vm.expectEmit(address(junior));
            emit Withdraw(alice, receiver, alice, expected, shares);
            vm.prank(alice);
            uint256 assets = junior.redeem(shares, receiver, alice);
            assertEq(assets, expected, "pays the claimable's own price, rounded down");
            assertLe(assets, maxAssets, "never more than maxWithdraw");
            assertEq(usdc.balanceOf(receiver) - before, assets, "receiver got the assets");
            assertEq(junior.maxRedeem(alice), max - shares, "claimable shares lowered");
            assertEq(junior.maxWithdraw(alice), maxAssets - assets, "claimable assets lowered");
            assertEq(junior.totalSupply(), supply, "claimed shares were burned at service, not again");
            max -= shares;
        }
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxRedeem.selector, alice, max + 1, max)
        );
        junior.redeem(max + 1, alice, alice);
    }

    function testFuzz_withdraw_acceptsUpToMax(uint256 seed, uint256 assets) public {
        _state(seed);
        uint256 max = junior.maxWithdraw(alice);
        uint256 maxShares = junior.maxRedeem(alice);
        if (max != 0) {
            assets = bound(assets, 1, max);
            uint256 before = usdc.balanceOf(alice);
            vm.prank(alice);
            uint256 shares = junior.withdraw(assets, alice, alice);
            assertEq(usdc.balanceOf(alice) - before, assets, "exactly assets paid");
            assertLe(shares, maxShares, "never more shares than maxRedeem");
            if (assets == max) assertEq(shares, maxShares, "withdrawing everything retires every claimable share");
            // Rounded against the claimer: the shares retired are worth at least the assets at the claimable's price.
            assertGe(shares * max, assets * maxShares, "shares rounded up");
            assertEq(junior.maxWithdraw(alice), max - assets, "claimable assets lowered");
            assertEq(junior.maxRedeem(alice), maxShares - shares, "claimable shares lowered");
            max -= assets;
        }
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, alice, max + 1, max)
        );
        junior.withdraw(max + 1, alice, alice);
    }

    /// @dev Claiming in many pieces pays exactly what claiming at once would: the claimable's assets, no more.
    function testFuzz_claimInPieces_paysTheWhole(uint256 seed, uint256 pieces, bool viaWithdraw) public {
        _state(seed);
        uint256 maxShares = junior.maxRedeem(alice);
        uint256 maxAssets = junior.maxWithdraw(alice);
        vm.assume(maxShares > 1);
        pieces = bound(pieces, 2, 6);
        uint256 paid;
        for (uint256 i = 1; i <= pieces; ++i) {
            vm.startPrank(alice);
            if (viaWithdraw) {
                uint256 left = junior.maxWithdraw(alice);
                uint256 a = i == pieces ? left : left / 2;
                if (a != 0) junior.withdraw(a, alice, alice);
                paid += a;
            } else {
                uint256 left = junior.maxRedeem(alice);
                uint256 s = i == pieces ? left : left / 2;
                if (s != 0) paid += junior.redeem(s, alice, alice);
            }
            vm.stopPrank();
        }
        assertEq(junior.maxWithdraw(alice), 0, "nothing left to claim");
        if (!viaWithdraw) assertEq(junior.maxRedeem(alice), 0, "every claimable share retired");
        assertLe(paid, maxAssets, "pieces never pay more than the whole");
        if (!viaWithdraw) assertEq(paid, maxAssets, "the last piece pays the remainder");
        if (viaWithdraw) assertEq(paid, maxAssets, "withdrawing every asset pays the whole");
    }

    // ------------------------------------------------------------------ who may claim

    function testFuzz_claim_onlyControllerOrOperator(uint256 seed, address caller, bool viaWithdraw) public {
        _state(seed);
        vm.assume(caller != alice && caller != address(0));
        uint256 shares = junior.maxRedeem(alice);
        uint256 assets = junior.maxWithdraw(alice);
        vm.assume(shares != 0 && assets != 0);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotControllerOrOperator.selector, caller, alice));
        if (viaWithdraw) junior.withdraw(assets, caller, alice);
        else junior.redeem(shares, caller, alice);
        // Holding alice's share allowance does not make a claimer (ERC-7540: controller or operator only).
        vm.prank(alice);
        junior.approve(caller, type(uint256).max);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotControllerOrOperator.selector, caller, alice));
        junior.redeem(shares, caller, alice);
        // An operator claims, to any receiver; the event names the operator as sender and alice as owner.
        vm.prank(alice);
        junior.setOperator(caller, true);
        address receiver = makeAddr("receiver");
        vm.expectEmit(address(junior));
        emit Withdraw(caller, receiver, alice, assets, shares);
        vm.prank(caller);
        if (viaWithdraw) assertEq(junior.withdraw(assets, receiver, alice), shares);
        else assertEq(junior.redeem(shares, receiver, alice), assets);
        assertEq(usdc.balanceOf(receiver), assets);
    }

    function testFuzz_revokedOperator_cannotClaim(uint256 seed, address op) public {
        _state(seed);
        vm.assume(op != alice);
        uint256 shares = junior.maxRedeem(alice);
        vm.assume(shares != 0);
        vm.startPrank(alice);
        junior.setOperator(op, true);
        junior.setOperator(op, false);
        vm.stopPrank();
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotControllerOrOperator.selector, op, alice));
        junior.redeem(shares, op, alice);
    }

    // ------------------------------------------------------------------ setOperator

    function testFuzz_setOperator_returnsTrue_emits_sets(address controller, address operator, bool approved) public {
        vm.expectEmit(address(junior));
        emit OperatorSet(controller, operator, approved);
        vm.prank(controller);
        assertTrue(junior.setOperator(operator, approved), "MUST return true");
        assertEq(junior.isOperator(controller, operator), approved, "status set to approved");
    }

    // ------------------------------------------------------------------ requestRedeem

    /// @dev The shares leave the owner's custody, the request is Pending for the controller (the junior's notice
    ///      keeps it Pending), `RedeemRequest(controller, owner, requestId, sender, shares)` is emitted. The sender
    ///      is the owner, its operator (no allowance spent) or a spender of its allowance (spent unless infinite).
    function testFuzz_requestRedeem_effectsAndEvent(
        uint256 seed,
        uint256 shares,
        address controller,
        uint8 mode,
        bool infinite
    ) public {
        _state(seed);
        vm.assume(controller != address(0));
        uint256 bal = junior.balanceOf(alice);
        shares = bound(shares, 1, bal);
        mode = uint8(bound(mode, 0, 2));
        address sender = mode == 0 ? alice : carol;
        if (mode == 1) {
            vm.prank(alice);
            junior.setOperator(carol, true);
        } else if (mode == 2) {
            vm.prank(alice);
            junior.approve(carol, infinite ? type(uint256).max : shares);
        }
        (, uint256 lastId,) = junior.queue();
        uint256 id = lastId + 1;
        vm.expectEmit(address(junior));
        emit RedeemRequest(controller, alice, id, sender, shares);
        vm.prank(sender);
        assertEq(junior.requestRedeem(shares, controller, alice), id, "per-request ids, growing by one");
        assertEq(junior.balanceOf(alice), bal - shares, "shares left the owner's custody");
        assertEq(junior.pendingRedeemRequest(id, controller), shares, "Pending for the controller");
        assertEq(junior.claimableRedeemRequest(id, controller), 0, "not Claimable during the notice");
        if (controller != alice) {
            assertEq(junior.pendingRedeemRequest(id, alice), 0, "the owner is not the controller");
        }
        if (mode == 2) assertEq(junior.allowance(alice, carol), infinite ? type(uint256).max : 0, "allowance");
    }

    function testFuzz_requestRedeem_revertsWhenNotAllOfSharesCanBeRequested(uint256 seed, uint256 extra, address who)
        public
    {
        _state(seed);
        vm.assume(who != alice && who != address(0));
        uint256 bal = junior.balanceOf(alice);
        uint256 shares = bal + bound(extra, 1, 1e30);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, bal, shares));
        junior.requestRedeem(shares, alice, alice);
        // Nobody else may request with alice's shares without her approval.
        vm.prank(who);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, who, 0, 1));
        junior.requestRedeem(1, who, alice);
    }

    // ------------------------------------------------------------------ views

    function testFuzz_requestViews_callerIndependent_neverRevert(
        uint256 seed,
        uint256 requestId,
        address controller,
        address caller
    ) public {
        _state(seed);
        uint256 id = requestId % 5; // ids 0..4: the fuzzed state's requests and ids never given
        uint256 pending = junior.pendingRedeemRequest(id, alice);
        uint256 claimable = junior.claimableRedeemRequest(id, alice);
        vm.startPrank(caller);
        assertEq(junior.pendingRedeemRequest(id, alice), pending, "pending depends on the caller");
        assertEq(junior.claimableRedeemRequest(id, alice), claimable, "claimable depends on the caller");
        // Any id and controller: never reverts.
        junior.pendingRedeemRequest(requestId, controller);
        junior.claimableRedeemRequest(requestId, controller);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ service: Pending -> Claimable, no push

    function testFuzz_service_movesPendingToClaimable_pushesNothing(uint256 seed, uint256 shares) public {
        _state(seed);
        shares = bound(shares, 1, junior.balanceOf(dave));
        uint256 id = _request(dave, shares);
        vm.warp(block.timestamp + junior.noticePeriod());
        _pushPrice(address(apes), _floorA());
        uint256 pendingBefore = junior.pendingRedeemRequest(id, dave);
        uint256 claimableBefore = junior.maxRedeem(dave);
        uint256 daveAssets = usdc.balanceOf(dave);
        uint256 supply = junior.totalSupply();
        vm.prank(keeper);
        junior.processQueue(10);
        uint256 moved = pendingBefore - junior.pendingRedeemRequest(id, dave);
        assertEq(junior.claimableRedeemRequest(id, dave), moved, "served shares are Claimable for the request");
        assertEq(junior.maxRedeem(dave), claimableBefore + moved, "and in the controller's claimable total");
        assertEq(usdc.balanceOf(dave), daveAssets, "nothing pushed to the controller (MUST pull via a claim)");
        assertLe(junior.totalSupply(), supply - moved, "served shares are burned");
    }

    // ------------------------------------------------------------------ request ids: oldest served shares first

    function testFuzz_claims_takeTheOldestServedSharesFirst(uint256 seed, uint256 shares) public {
        _state(seed);
        uint256 first = junior.claimableRedeemRequest(aliceIds[0], alice);
        uint256 second = junior.claimableRedeemRequest(aliceIds[1], alice);
        vm.assume(first + second != 0);
        shares = bound(shares, 1, first + second);
        vm.prank(alice);
        junior.redeem(shares, alice, alice);
        uint256 fromFirst = shares < first ? shares : first;
        assertEq(junior.claimableRedeemRequest(aliceIds[0], alice), first - fromFirst, "older request claimed first");
        assertEq(junior.claimableRedeemRequest(aliceIds[1], alice), second - (shares - fromFirst), "then the newer one");
        assertLe(junior.claimableRedeemRequest(daveIds[0], dave), junior.maxRedeem(dave), "others untouched");
    }

    /// @dev `claimRedeem` is the senior's per-request claim; a junior request served under ERC-7540 refuses it.
    function testFuzz_claimRedeem_refusedForJuniorRequests(uint256 seed) public {
        _state(seed);
        uint256 id = aliceIds[0];
        vm.assume(junior.redeemRequest(id).claimableShares != 0);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.ClaimWithRedeem.selector, id, alice));
        junior.claimRedeem(id, alice);
    }
}
