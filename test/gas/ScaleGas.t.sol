// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice No operation may cost more as the book grows (SPEC §4): `borrow`, `repay` and `deposit` measured with 1,
///         100, 1,000 and 10,000 active loans, and with 100 lenders instead of 1 (snapshots/scale.json).
///         `npm run bench:gas` (tools/bench/gas.ts) prints the spread per operation and fails above 1 %, and so does
///         the vitest check of the figures (tools/bench/gas.test.ts, after the forge suite has rewritten them).
/// @dev    Method (SPEC §10.1): `setUp` seeds the book, moves the clock 5 days and pushes the oracle prices; each
///         test makes one measured call, the first of its transaction (cold accounts and slots, as on chain). The
///         seeded loans are real `borrow` calls (100 USDC each, two borrowers, two collections), so any per-loan work
///         in an operation would show; only the NFT approvals are batched (one per borrower and collection). Seeding
///         10,000 loans takes ~6 s per test on one core; a figure taken after `vm.revertToState` in one test would be
///         cheaper than on chain (revm then prices the reverted slots as already written), so each operation keeps
///         its own test.
abstract contract ScaleGasBase is StrataTestBase {
    uint256 internal constant PRINCIPAL = 100 * USDC;
    uint256 internal constant DURATION = 60 days;
    uint256 internal constant LENDER_BASE = 0x1e4d0000;

    uint256 internal lastLoan;
    uint256 internal nextToken = 1_000_000;
    uint256 internal nextApe;
    uint256 internal firstLoanId;

    function _activeLoans() internal pure virtual returns (uint256);

    function _lenders() internal pure virtual returns (uint256) {
        return 1;
    }

    function setUp() public override {
        super.setUp();
        _seedLiquidity(8_000_000 * USDC, 4_000_000 * USDC);
        _fund(carol, 100_000 * USDC);
        _fund(bob, 100_000 * USDC);
        firstLoanId = pool.nextLoanId();
        vm.startPrank(carol);
        apes.setApprovalForAll(address(pool), true);
        punks.setApprovalForAll(address(pool), true);
        vm.stopPrank();
        vm.startPrank(dave);
        apes.setApprovalForAll(address(pool), true);
        punks.setApprovalForAll(address(pool), true);
        vm.stopPrank();
        _seedLoans(_activeLoans());
        _addLenders(_lenders());
        nextApe = nextToken++;
        apes.mint(carol, nextApe);
        vm.warp(block.timestamp + 5 days);
        vm.roll(block.number + 1);
        _pushPrice(address(apes), FLOOR_A);
        _pushPrice(address(punks), FLOOR_B);
    }

    function _name(string memory op) internal pure returns (string memory) {
        return _lenders() == 1
            ? string.concat(op, "_with_", vm.toString(_activeLoans()), "_loans")
            : string.concat(op, "_with_", vm.toString(_lenders()), "_lenders");
    }

    function test_scale_borrow() public {
        assertEq(pool.nextLoanId() - firstLoanId, _activeLoans(), "book size");
        vm.prank(carol);
        pool.borrow(address(apes), nextApe, PRINCIPAL, DURATION, type(uint256).max, _noProof());
        vm.snapshotGasLastCall("scale", _name("borrow"));
    }

    function test_scale_repay() public {
        vm.prank(carol);
        pool.repay(lastLoan, type(uint256).max);
        vm.snapshotGasLastCall("scale", _name("repay"));
        assertEq(pool.nextLoanId() - firstLoanId, _activeLoans(), "book size");
    }

    function test_scale_deposit() public {
        vm.prank(bob);
        senior.deposit(10_000 * USDC, bob);
        vm.snapshotGasLastCall("scale", _name("deposit"));
        assertEq(senior.balanceOf(address(uint160(LENDER_BASE + _lenders() - 1))) > 0, _lenders() > 1, "lenders");
    }

    /// @dev `n` real borrows: carol and dave alternate (carol takes the last one, which `repay` measures), every
    ///      third loan is against punks (30 days), the others against apes.
    function _seedLoans(uint256 n) internal {
        for (uint256 i; i < n; ++i) {
            address who = (n - 1 - i) % 2 == 0 ? carol : dave;
            bool punk = i % 3 == 2;
            uint256 id = nextToken++;
            (punk ? punks : apes).mint(who, id);
            vm.prank(who);
            lastLoan = pool.borrow(
                address(punk ? punks : apes), id, PRINCIPAL, punk ? 30 days : DURATION, type(uint256).max, _noProof()
            );
        }
    }

    /// @dev Tops the senior tranche up to `count` distinct lenders (bob is the first), 10,000 USDC each.
    function _addLenders(uint256 count) internal {
        for (uint256 i = 1; i < count; ++i) {
            address lender = address(uint160(LENDER_BASE + i));
            _deposit(Tranche.Senior, lender, 10_000 * USDC);
        }
    }
}

contract ScaleGas1Test is ScaleGasBase {
    function _activeLoans() internal pure override returns (uint256) {
        return 1;
    }
}

contract ScaleGas100Test is ScaleGasBase {
    function _activeLoans() internal pure override returns (uint256) {
        return 100;
    }
}

contract ScaleGas1000Test is ScaleGasBase {
    function _activeLoans() internal pure override returns (uint256) {
        return 1000;
    }
}

contract ScaleGas10000Test is ScaleGasBase {
    function _activeLoans() internal pure override returns (uint256) {
        return 10_000;
    }
}

/// @notice One loan and 100 senior lenders (bob and 99 others, 10,000 USDC each).
contract ScaleGas100LendersTest is ScaleGasBase {
    function _activeLoans() internal pure override returns (uint256) {
        return 1;
    }

    function _lenders() internal pure override returns (uint256) {
        return 100;
    }
}
