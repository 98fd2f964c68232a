// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice Gas of the senior redemption queue (SPEC §5, §10; snapshots/vault.json `request_redeem`, `claim`), measured
///         as the first call of its transaction in a fully lent-out pool (NAV 250k: junior 100k, senior 150k), so a
///         redemption must queue. Moved here from test/vaults/RedemptionQueue.t.sol so that `forge test --match-path
///         'test/gas/*'` (npm run bench:gas) writes every vault.json figure.
contract QueueGasTest is StrataTestBase {
    address internal borrower = makeAddr("borrower");
    uint256[] internal loans;

    uint256 internal constant LOAN = 50_000 * USDC;

    function setUp() public override {
        super.setUp();
        _deposit(Tranche.Junior, alice, 100_000 * USDC);
        _deposit(Tranche.Senior, bob, 100_000 * USDC);
        _deposit(Tranche.Senior, carol, 50_000 * USDC);
    }

    /// @dev Warm: lenders, loans and a price exist; the queue has an unserved head; bob has requested before.
    function test_gas_requestRedeem() public {
        _lendOutAll();
        _request(carol, 1e12);
        _request(bob, 1e12);
        vm.prank(bob);
        uint256 id = senior.requestRedeem(1e12, bob, bob);
        vm.snapshotGasLastCall("vault", "request_redeem");
        assertEq(senior.redeemRequest(id).controller, bob, "queued for bob");
    }

    /// @dev Warm: bob has claimed before; the claimed request was served.
    function test_gas_claim() public {
        _lendOutAll();
        _request(bob, 1e12);
        _request(bob, 1e12);
        _repay(loans[0]);
        vm.prank(keeper);
        assertEq(senior.processQueue(2), 2, "both served");
        vm.prank(bob);
        senior.claimRedeem(1, bob);
        uint256 before = usdc.balanceOf(bob);
        vm.prank(bob);
        senior.claimRedeem(2, bob);
        vm.snapshotGasLastCall("vault", "claim");
        assertGt(usdc.balanceOf(bob), before, "claim paid");
    }

    /// @dev Lends out every unit of available cash, in loans of at most 50k against apes (30 days).
    function _lendOutAll() internal {
        uint256 avail = pool.availableCash();
        while (avail > 0) {
            uint256 principal = avail < LOAN ? avail : LOAN;
            (uint256 loanId,) = _borrow(borrower, apes, principal, 30 days);
            loans.push(loanId);
            avail = pool.availableCash();
        }
        assertEq(pool.cash(), 0, "all lent out");
    }

    function _repay(uint256 loanId) internal {
        uint256 owed = lens.debt(loanId);
        _fund(borrower, owed);
        vm.prank(borrower);
        pool.repay(loanId, owed);
    }

    function _request(address who, uint256 shares) internal returns (uint256 id) {
        vm.prank(who);
        id = senior.requestRedeem(shares, who, who);
    }
}
