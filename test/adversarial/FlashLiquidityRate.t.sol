// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {RateCurve, RateCurveLib} from "../../src/interest/RateCurve.sol";
import {IStrataPool, RarityProof, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {MockStablecoin} from "../mocks/MockStablecoin.sol";

/// @notice A borrower with flash liquidity: in one transaction it mints ("flash-borrows") the asset, deposits it
///         into a vault, borrows or extends, redeems every share and burns what it minted. The pool sees a deposit,
///         a borrow and a withdrawal in one transaction.
contract FlashBorrower {
    StrataPool internal immutable pool;
    MockStablecoin internal immutable usdc;

    constructor(StrataPool pool_, MockStablecoin usdc_) {
        pool = pool_;
        usdc = usdc_;
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return this.onERC721Received.selector;
    }

    /// @dev Deposits `amounts[i]` into `vaults[i]` in order, runs `action`, redeems everything in reverse order and
    ///      returns the flash liquidity. Returns the action's result (loan id or new apr) and the round-trip cost.
    function flash(TrancheVault[] calldata vaults, uint256[] calldata amounts, bytes calldata action)
        external
        returns (uint256 result, uint256 cost)
    {
        uint256 total;
        for (uint256 i; i < vaults.length; i++) {
            total += amounts[i];
        }
        usdc.mint(address(this), total);
        for (uint256 i; i < vaults.length; i++) {
            usdc.approve(address(vaults[i]), amounts[i]);
            vaults[i].deposit(amounts[i], address(this));
        }
        (bool ok, bytes memory ret) = address(pool).call(action);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        result = abi.decode(ret, (uint256));
        uint256 afterAction = usdc.balanceOf(address(this));
        for (uint256 i = vaults.length; i > 0; i--) {
            TrancheVault v = vaults[i - 1];
            uint256 shares = v.balanceOf(address(this));
            // The junior has no instant exit (SPEC §5.8): the best the attacker can do is queue its shares, which
            // stay in the pool for the notice period (a flash lender would not be repaid). The senior redeems.
            if (v.maxRedeem(address(this)) == 0) v.requestRedeem(shares, address(this), address(this));
            else v.redeem(shares, address(this), address(this));
        }
        // What the vaults did not give back of the flash liquidity (the borrowed principal is the borrower's).
        uint256 redeemed = usdc.balanceOf(address(this)) - afterAction;
        cost = total > redeemed ? total - redeemed : 0;
        // Repay the flash lender (a sink here).
        usdc.transfer(address(0xdead), total - cost);
    }
}

/// @notice SPEC §3 "Rate integrity" (#12 part 1, `docs/SECURITY.md` F-4). On the `LiquidationBase` deployment
///         (800k senior, 200k junior) with 18 loans of 50k on the apes curve (U = 90 %), an honest 50k borrow
///         locks the curve at U = 95 %: 90 % APR. Before the fix, 10M of flash liquidity in the junior vault
///         locked 6.08 % in the same transaction; now the utilization that prices a loan cannot be lowered by
///         liquidity that arrives in the same block, and liquidity held a fraction f of `rateWindow` lowers it by
///         at most that fraction.
contract FlashLiquidityRateTest is LiquidationBase {
    FlashBorrower internal attacker;
    RateCurve internal apesCurve;

    uint256 internal constant FLASH = 10_000_000 * USDC;
    uint256 internal constant HONEST_APR = 0.9e18; // U = 950k / 1M = 95 %: 5 % + 10 % + 100 % x 0.15 / 0.2

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 18; i++) {
            _borrow(dave, apes, PRINCIPAL, 90 days);
        }
        // The state has been held for a whole window: the averages equal it.
        vm.warp(block.timestamp + pool.rateWindow());
        vm.roll(block.number + 1);
        _refresh();
        attacker = new FlashBorrower(pool, usdc);
        apesCurve = _paramsA().curve;
    }

    // ------------------------------------------------------------------ helpers

    function _vaults(TrancheVault a) internal pure returns (TrancheVault[] memory v) {
        v = new TrancheVault[](1);
        v[0] = a;
    }

    function _amounts(uint256 a) internal pure returns (uint256[] memory x) {
        x = new uint256[](1);
        x[0] = a;
    }

    function _borrowCall(uint256 tokenId) internal view returns (bytes memory) {
        RarityProof memory r = _noProof();
        return abi.encodeCall(IStrataPool.borrow, (address(apes), tokenId, PRINCIPAL, 90 days, type(uint256).max, r));
    }

    function _attackerToken() internal returns (uint256 id) {
        id = _mintNft(apes, address(attacker));
        vm.prank(address(attacker));
        apes.setApprovalForAll(address(pool), true);
    }

    function _honestBorrowApr() internal returns (uint256 apr) {
        uint256 snap = vm.snapshotState();
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 90 days);
        apr = pool.loan(id).apr;
        vm.revertToState(snap);
    }

    // ------------------------------------------------------------------ the exact scenario of #12

    function test_attack_flashJuniorDeposit_borrowLocksHonestRate() public {
        uint256 honest = _honestBorrowApr();
        assertEq(honest, HONEST_APR, "honest 50k / 90 d borrow at U = 95 %");
        uint256 quoted = lens.quote(address(apes), PRINCIPAL, 90 days).apr;
        assertEq(quoted, honest, "the lens quotes what borrow locks");

        uint256 tokenId = _attackerToken();
        (uint256 loanId, uint256 cost) = attacker.flash(_vaults(junior), _amounts(FLASH), _borrowCall(tokenId));
        uint256 apr = pool.loan(loanId).apr;
        console2.log("flash junior 10M: locked apr (WAD)", apr);
        console2.log("round-trip cost of the flash liquidity (units)", cost);
        assertGe(apr, 0.89e18, "at least 89 % APR");
        assertEq(apr, honest, "exactly the honest rate");
    }

    /// @dev Since the junior notice period (SPEC §5.8) the junior half of the attack cannot even close: an instant
    ///      junior redeem in the same transaction reverts.
    function test_attack_flashJuniorExit_reverts() public {
        address whale = makeAddr("whale");
        uint256 shares = _deposit(Tranche.Junior, whale, FLASH);
        vm.prank(whale);
        vm.expectRevert(abi.encodeWithSignature("ERC4626ExceededMaxRedeem(address,uint256,uint256)", whale, shares, 0));
        junior.redeem(shares, whale, whale);
    }

    function test_attack_flashSeniorDeposit_withinSubordination_borrowLocksHonestRate() public {
        // An honest junior top-up leaves the senior room for (300k / 20 %) - 1.1M = 400k (plus accrued interest).
        _deposit(Tranche.Junior, alice, 100_000 * USDC);
        vm.warp(block.timestamp + pool.rateWindow());
        _refresh();
        uint256 honest = _honestBorrowApr();
        uint256 room = senior.maxDeposit(address(attacker));
        assertGe(room, 400_000 * USDC, "senior room");
        uint256 tokenId = _attackerToken();
        (uint256 loanId,) = attacker.flash(_vaults(senior), _amounts(room), _borrowCall(tokenId));
        console2.log("flash senior: room (units)", room);
        console2.log("flash senior: locked apr (WAD)", pool.loan(loanId).apr);
        assertEq(pool.loan(loanId).apr, honest, "the senior's flash room moves nothing either");
    }

    function test_attack_flashBothTranches_borrowLocksHonestRate() public {
        uint256 honest = _honestBorrowApr();
        TrancheVault[] memory v = new TrancheVault[](2);
        (v[0], v[1]) = (junior, senior);
        uint256[] memory x = new uint256[](2);
        (x[0], x[1]) = (2_000_000 * USDC, 8_000_000 * USDC);
        uint256 tokenId = _attackerToken();
        (uint256 loanId,) = attacker.flash(v, x, _borrowCall(tokenId));
        assertEq(pool.loan(loanId).apr, honest);
    }

    function test_attack_flashJuniorDeposit_extendLocksHonestRate() public {
        // The attacker holds a loan at the honest 90 %, then re-prices it with flash liquidity.
        uint256 tokenId = _attackerToken();
        vm.prank(address(attacker));
        uint256 loanId = pool.borrow(address(apes), tokenId, PRINCIPAL, 90 days, type(uint256).max, _noProof());
        assertEq(pool.loan(loanId).apr, HONEST_APR);
        vm.warp(block.timestamp + 10 days);
        vm.roll(block.number + 1);
        _refresh();
        usdc.mint(address(attacker), 10_000 * USDC);
        vm.prank(address(attacker));
        usdc.approve(address(pool), type(uint256).max);

        uint256 snap = vm.snapshotState();
        vm.prank(address(attacker));
        uint256 honest = pool.extend(loanId, 30 days, type(uint256).max);
        vm.revertToState(snap);

        bytes memory call = abi.encodeCall(StrataPool.extend, (loanId, 30 days, type(uint256).max));
        (uint256 newApr,) = attacker.flash(_vaults(junior), _amounts(FLASH), call);
        console2.log("flash junior 10M: extend re-prices at (WAD)", newApr);
        assertGe(newApr, 0.89e18, "at least 89 % APR");
        assertEq(newApr, honest, "exactly the honest extension rate");
    }

    /// @dev The origination fee enters NAV at once and belongs to the junior (the senior is paid its claim): flash
    ///      senior liquidity takes none of it back (docs/ACCOUNTING.md "Origination fee and other instant NAV jumps").
    function test_originationFee_flashSeniorCapturesNone() public {
        vm.prank(gov);
        pool.setFees(100, 0); // 1 %
        _deposit(Tranche.Junior, alice, 100_000 * USDC);
        vm.warp(block.timestamp + pool.rateWindow());
        vm.roll(block.number + 1);
        _refresh();
        uint256 honest = _honestBorrowApr();
        uint256 juniorBefore = pool.trancheValue(Tranche.Junior);
        uint256 seniorPrice = senior.convertToAssets(1e18);
        uint256 room = senior.maxDeposit(address(attacker));
        uint256 tokenId = _attackerToken();
        (uint256 loanId, uint256 cost) = attacker.flash(_vaults(senior), _amounts(room), _borrowCall(tokenId));
        assertEq(pool.loan(loanId).apr, honest, "honest rate with a fee too");
        assertLe(cost, 1, "the flash senior gets back what it put in (at most 1 unit of rounding less)");
        // The whole 500 fee goes to the junior, plus at most the unit the flash senior's redeem rounds down.
        assertApproxEqAbs(pool.trancheValue(Tranche.Junior), juniorBefore + PRINCIPAL / 100 + cost, 1, "fee to junior");
        assertGe(pool.trancheValue(Tranche.Junior), juniorBefore + PRINCIPAL / 100, "at least the whole fee");
        // A senior exit lowers the claim by exactly what it pays (SPEC §5.1), and the shares it burns round up, so
        // the remaining seniors keep at most the rounding dust.
        assertGe(senior.convertToAssets(1e18), seniorPrice, "senior share price not lowered");
        assertLe(senior.convertToAssets(1e18), seniorPrice + 1, "senior share price unmoved but for rounding");
    }

    // ------------------------------------------------------------------ the bound: fraction of the window

    /// @dev Liquidity `amount` held for `held` seconds before the borrow lowers the pricing utilization by at most
    ///      the fraction `held / rateWindow` (and the apr to no less than the curve there).
    function testFuzz_heldLiquidity_movesRateByAtMostItsTimeFraction(uint256 amount, uint256 held) public {
        uint256 w = pool.rateWindow();
        amount = bound(amount, 1 * USDC, 100_000_000 * USDC);
        held = bound(held, 0, w);
        uint256 snap = vm.snapshotState();
        vm.warp(block.timestamp + held);
        vm.roll(block.number + 1);
        _refresh();
        uint256 uHonest = pool.borrowUtilization(PRINCIPAL, PRINCIPAL);
        (uint256 idH,) = _borrow(carol, apes, PRINCIPAL, 90 days);
        uint256 aprHonest = pool.loan(idH).apr;
        vm.revertToState(snap);

        _deposit(Tranche.Junior, makeAddr("whale"), amount);
        vm.warp(block.timestamp + held);
        vm.roll(block.number + 1);
        _refresh();
        uint256 uAttack = pool.borrowUtilization(PRINCIPAL, PRINCIPAL);
        (uint256 idA,) = _borrow(carol, apes, PRINCIPAL, 90 days);
        uint256 aprAttack = pool.loan(idA).apr;

        // uAttack >= (1 - held / w) * uHonest, up to the rounding of the averages (a few wei).
        assertGe(uAttack * w + 10 * w, uHonest * (w - held), "utilization moved by at most the time fraction");
        uint256 floorU = uHonest * (w - held) / w;
        assertGe(aprAttack + 10, RateCurveLib.apr(apesCurve, floorU), "apr at least the curve at (1 - f) U");
        assertLe(aprAttack, aprHonest, "new liquidity never raises the rate");
        if (held == 0) assertEq(aprAttack, aprHonest, "same block: no effect at all");
    }

    /// @dev Liquidity that stays a whole window is real: it prices loans like any other cash.
    function test_liquidityHeldAWholeWindow_countsFully() public {
        _deposit(Tranche.Junior, makeAddr("whale"), FLASH);
        vm.warp(block.timestamp + pool.rateWindow());
        vm.roll(block.number + 1);
        _refresh();
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 90 days);
        // U = 950k / 11M (plus the accrued interest in NAV, which is not cash): the curve below the kink.
        uint256 u = RateCurveLib.utilization(pool.totalPrincipal(), pool.availableCash());
        assertEq(pool.loan(id).apr, RateCurveLib.apr(apesCurve, u));
        assertLt(pool.loan(id).apr, 0.07e18);
    }
}
