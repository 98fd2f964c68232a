// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice No operation may cost more as the book grows (SPEC §4): `borrow`, `repay` and `deposit` measured with 1 and
///         with 1,000 active loans (snapshots/scale.json), each as the first call of its transaction.
abstract contract ScaleGasBase is StrataTestBase {
    uint256 internal lastLoan;
    uint256 internal nextApe;

    function _activeLoans() internal pure virtual returns (uint256);

    function setUp() public override {
        super.setUp();
        _seedLiquidity(8_000_000 * USDC, 4_000_000 * USDC);
        uint256 n = _activeLoans();
        for (uint256 i; i < n; ++i) {
            (lastLoan,) = _borrow((n - 1 - i) % 2 == 0 ? carol : dave, i % 3 == 2 ? punks : apes, 1000 * USDC, 30 days);
        }
        nextApe = _mintNft(apes, carol);
        _fund(carol, 100_000 * USDC);
        _fund(bob, 100_000 * USDC);
        vm.warp(block.timestamp + 5 days);
        _pushPrice(address(apes), FLOOR_A);
        _pushPrice(address(punks), FLOOR_B);
    }

    function _name(string memory op) internal pure returns (string memory) {
        return string.concat(op, "_with_", vm.toString(_activeLoans()), "_loans");
    }

    function test_scale_borrow() public {
        vm.prank(carol);
        pool.borrow(address(apes), nextApe, 1000 * USDC, 30 days, type(uint256).max, _noProof());
        vm.snapshotGasLastCall("scale", _name("borrow"));
    }

    function test_scale_repay() public {
        vm.prank(carol);
        pool.repay(lastLoan, type(uint256).max);
        vm.snapshotGasLastCall("scale", _name("repay"));
    }

    function test_scale_deposit() public {
        vm.prank(bob);
        senior.deposit(10_000 * USDC, bob);
        vm.snapshotGasLastCall("scale", _name("deposit"));
    }
}

contract ScaleGas1Test is ScaleGasBase {
    function _activeLoans() internal pure override returns (uint256) {
        return 1;
    }
}

contract ScaleGas1000Test is ScaleGasBase {
    function _activeLoans() internal pure override returns (uint256) {
        return 1000;
    }
}

/// @notice The same operations on a 1-loan and on a 1,000-loan book in one test, every touched account cooled before
///         each measured call (as if it were the first call of its transaction): the figures agree within 1 %.
contract ScaleGasCompareTest is StrataTestBase {
    function test_scale_1000LoansWithinOnePercent() public {
        _seedLiquidity(8_000_000 * USDC, 4_000_000 * USDC);
        _fund(carol, 100_000 * USDC);
        _fund(bob, 100_000 * USDC);
        uint256[3] memory small = _measure(1);
        uint256[3] memory large = _measure(1000);
        string[3] memory names = ["borrow", "repay", "deposit"];
        for (uint256 i; i < 3; ++i) {
            emit log_named_uint(string.concat(names[i], " with 1 loan    "), small[i]);
            emit log_named_uint(string.concat(names[i], " with 1000 loans"), large[i]);
            assertLe(large[i] * 100, small[i] * 101, "1,000 loans within 1 % of 1 loan");
            assertLe(small[i] * 100, large[i] * 101, "1 loan within 1 % of 1,000 loans");
        }
    }

    function _measure(uint256 n) internal returns (uint256[3] memory g) {
        uint256 snap = vm.snapshotState();
        uint256 id;
        for (uint256 i; i < n; ++i) {
            (id,) = _borrow((n - 1 - i) % 2 == 0 ? carol : dave, i % 3 == 2 ? punks : apes, 1000 * USDC, 30 days);
        }
        uint256 ape = _mintNft(apes, carol);
        vm.warp(block.timestamp + 5 days);
        _pushPrice(address(apes), FLOOR_A);
        _pushPrice(address(punks), FLOOR_B);
        _coolAll();
        vm.prank(carol);
        pool.borrow(address(apes), ape, 1000 * USDC, 30 days, type(uint256).max, _noProof());
        g[0] = vm.lastCallGas().gasTotalUsed;
        _coolAll();
        vm.prank(carol);
        pool.repay(id, type(uint256).max);
        g[1] = vm.lastCallGas().gasTotalUsed;
        _coolAll();
        vm.prank(bob);
        senior.deposit(10_000 * USDC, bob);
        g[2] = vm.lastCallGas().gasTotalUsed;
        vm.revertToState(snap);
    }

    function _coolAll() internal {
        address[9] memory all = [
            address(pool),
            address(senior),
            address(junior),
            address(registry),
            address(oracle),
            address(usdc),
            address(apes),
            address(punks),
            address(liquidator)
        ];
        for (uint256 i; i < all.length; ++i) {
            vm.cool(all[i]);
        }
    }
}
