// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataConfig, StrataDeployer} from "../../script/lib/StrataDeployer.sol";
import {IDelegateRegistry} from "../../src/interfaces/IDelegateRegistry.sol";
import {IStrataDelegation} from "../../src/interfaces/IStrataDelegation.sol";
import {IStrataPool, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {Delegation} from "../../src/pool/Delegation.sol";
import {LoanLogic} from "../../src/pool/logic/LoanLogic.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice A registry whose revocations burn every unit of gas they are given (etched over the dev registry).
contract GasBurningRegistry {
    function delegateERC721(address, address, uint256, bytes32, bool enable) external payable returns (bytes32) {
        while (!enable) {}
        return bytes32(0);
    }
}

/// @notice Delegation of locked tokens through the delegate.xyz v2 registry (SPEC §3.7): live while the loan is
///         active with a delegate, revoked before the token leaves custody (full repayment, liquidation) and on
///         `setDelegate(0)`, never blocking a repayment or a liquidation when the registry fails.
contract PoolDelegationTest is LiquidationBase {
    address internal hot = makeAddr("hot");
    address internal hot2 = makeAddr("hot2");
    bytes32 internal constant CLAIM = "airdrop.claim";

    function _borrowWith(address who, uint256 principal, address delegate)
        internal
        returns (uint256 loanId, uint256 tokenId)
    {
        tokenId = _mintNft(apes, who);
        vm.prank(who);
        loanId = pool.borrow(address(apes), tokenId, principal, 30 days, type(uint256).max, _noProof(), delegate);
    }

    function _live(address to, uint256 tokenId) internal view returns (bool) {
        return delegates.checkDelegateForERC721(to, address(pool), address(apes), tokenId, "");
    }

    function test_borrowWithDelegate_delegatesAllRightsDuringTheLoan() public {
        uint256 tokenId = _mintNft(apes, carol);
        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateSet(1, address(0), hot);
        vm.expectEmit(address(delegates));
        emit IDelegateRegistry.DelegateERC721(address(pool), hot, address(apes), tokenId, "", true);
        vm.prank(carol);
        uint256 loanId = pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof(), hot);
        assertEq(loanId, 1);
        assertEq(pool.delegateOf(loanId), hot);
        assertEq(address(pool.delegateRegistry()), address(delegates));
        assertTrue(_live(hot, tokenId), "all rights");
        assertTrue(delegates.checkDelegateForERC721(hot, address(pool), address(apes), tokenId, CLAIM), "any right");
        assertFalse(_live(carol, tokenId), "only the named delegate");
        assertEq(apes.ownerOf(tokenId), address(pool));
    }

    function test_borrowWithoutDelegate_makesNoDelegation() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, address(0));
        assertEq(pool.delegateOf(loanId), address(0));
        assertEq(delegates.getOutgoingDelegationHashes(address(pool)).length, 0);
        assertFalse(_live(carol, tokenId));
        (loanId, tokenId) = _borrow(dave, apes, PRINCIPAL / 2, 30 days);
        assertEq(pool.delegateOf(loanId), address(0));
        assertEq(delegates.getOutgoingDelegationHashes(address(pool)).length, 0);
    }

    function test_fullRepay_revokesBeforeTheTokenLeaves_partialKeepsIt() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, hot);
        _fund(carol, 10_000 * USDC);
        vm.warp(block.timestamp + 5 days);
        vm.prank(carol);
        pool.repay(loanId, 10_000 * USDC);
        assertTrue(_live(hot, tokenId), "a partial payment keeps the delegation");

        _fund(dave, PRINCIPAL);
        vm.expectEmit(address(delegates));
        emit IDelegateRegistry.DelegateERC721(address(pool), hot, address(apes), tokenId, "", false);
        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateSet(loanId, hot, address(0));
        vm.prank(dave);
        pool.repay(loanId, type(uint256).max);
        assertFalse(_live(hot, tokenId), "revoked on full repayment");
        assertEq(pool.delegateOf(loanId), address(0));
        assertEq(apes.ownerOf(tokenId), carol);
        assertEq(delegates.getOutgoingDelegationHashes(address(pool)).length, 0);
    }

    function test_liquidation_revokesAtTheImpairment() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, hot);
        _overdue(loanId);
        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateSet(loanId, hot, address(0));
        _liquidate(loanId);
        _assertLoanStatus(loanId, LoanStatus.Liquidating);
        assertEq(apes.ownerOf(tokenId), address(pool));
        assertFalse(_live(hot, tokenId), "revoked on liquidation");
        assertEq(pool.delegateOf(loanId), address(0));
    }

    function test_setDelegate_movesAndClears() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, address(0));
        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateSet(loanId, address(0), hot);
        vm.prank(carol);
        pool.setDelegate(loanId, hot);
        assertTrue(_live(hot, tokenId));

        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateSet(loanId, hot, hot2);
        vm.prank(carol);
        pool.setDelegate(loanId, hot2);
        assertFalse(_live(hot, tokenId), "the previous delegate is revoked");
        assertTrue(_live(hot2, tokenId));

        vm.prank(carol);
        pool.setDelegate(loanId, hot2); // unchanged: a no-op
        assertTrue(_live(hot2, tokenId));

        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateSet(loanId, hot2, address(0));
        vm.prank(carol);
        pool.setDelegate(loanId, address(0));
        assertFalse(_live(hot2, tokenId), "false after setDelegate(0)");
        assertEq(pool.delegateOf(loanId), address(0));
        assertEq(delegates.getOutgoingDelegationHashes(address(pool)).length, 0);
    }

    function test_setDelegate_onlyTheBorrower_onlyWhileActive() public {
        (uint256 loanId,) = _borrowWith(carol, PRINCIPAL, address(0));
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotBorrower.selector, loanId, dave));
        pool.setDelegate(loanId, dave);
        vm.prank(address(liquidator));
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotBorrower.selector, loanId, address(liquidator)));
        pool.setDelegate(loanId, dave);

        _fund(carol, PRINCIPAL);
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, loanId));
        pool.setDelegate(loanId, hot);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, 99));
        pool.setDelegate(99, hot);
    }

    function test_setDelegate_allowedWhileBorrowingIsPaused() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, address(0));
        vm.prank(guardian);
        pool.setBorrowsPaused(true);
        vm.prank(carol);
        pool.setDelegate(loanId, hot);
        assertTrue(_live(hot, tokenId));
    }

    function test_nextHolderNeverInheritsTheDelegate() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, hot);
        _fund(carol, PRINCIPAL);
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        vm.prank(carol);
        apes.transferFrom(carol, dave, tokenId);
        vm.prank(dave);
        apes.setApprovalForAll(address(pool), true);
        vm.prank(dave);
        uint256 next = pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof());
        assertEq(pool.delegateOf(next), address(0));
        assertFalse(_live(hot, tokenId), "the token is back in the pool, the old delegate is not");
    }

    // ------------------------------------------------------------------ failing registry

    function test_revertingRegistry_doesNotBlockRepay_andTheRevocationCanBeRetried() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, hot);
        bytes memory revoke = abi.encodeCall(IDelegateRegistry.delegateERC721, (hot, address(apes), tokenId, "", false));
        vm.mockCallRevert(address(delegates), revoke, "registry down");
        _fund(carol, PRINCIPAL);
        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateRevokeFailed(loanId, hot, "registry down");
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        assertEq(apes.ownerOf(tokenId), carol, "the repayment went through");
        assertEq(pool.delegateOf(loanId), hot, "still to be revoked");

        vm.prank(keeper);
        vm.expectRevert(bytes("registry down"));
        pool.revokeStaleDelegate(loanId);
        assertEq(pool.delegateOf(loanId), hot, "a failed retry changes nothing");

        vm.clearMockedCalls();
        assertTrue(_live(hot, tokenId), "stale until retried");
        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateSet(loanId, hot, address(0));
        vm.prank(keeper);
        pool.revokeStaleDelegate(loanId);
        assertFalse(_live(hot, tokenId));
        assertEq(pool.delegateOf(loanId), address(0));
    }

    function test_revertingRegistry_doesNotBlockLiquidation() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, hot);
        vm.mockCallRevert(
            address(delegates),
            abi.encodeCall(IDelegateRegistry.delegateERC721, (hot, address(apes), tokenId, "", false)),
            "registry down"
        );
        _overdue(loanId);
        vm.expectEmit(address(pool));
        emit IStrataDelegation.LoanDelegateRevokeFailed(loanId, hot, "registry down");
        _liquidate(loanId);
        _assertLoanStatus(loanId, LoanStatus.Liquidating);
        assertEq(apes.ownerOf(tokenId), address(pool));
        vm.clearMockedCalls();
        pool.revokeStaleDelegate(loanId);
        assertFalse(_live(hot, tokenId));
    }

    function test_gasBurningRegistry_doesNotBlockRepayOrLiquidation() public {
        (uint256 loanA, uint256 tokenA) = _borrowWith(carol, PRINCIPAL, hot);
        (uint256 loanB, uint256 tokenB) = _borrowWith(dave, PRINCIPAL / 2, hot2);
        vm.etch(address(delegates), address(new GasBurningRegistry()).code);
        _fund(carol, PRINCIPAL);
        vm.prank(carol);
        // Bounded: the revocation gets at most REVOKE_GAS, the rest of the repayment what is left.
        pool.repay{gas: Delegation.REVOKE_GAS + 250_000}(loanA, type(uint256).max);
        assertEq(apes.ownerOf(tokenA), carol);
        assertEq(pool.delegateOf(loanA), hot);
        _overdue(loanB);
        vm.prank(keeper);
        liquidator.liquidate{gas: Delegation.REVOKE_GAS + 400_000}(loanB);
        assertEq(apes.ownerOf(tokenB), address(pool));
        assertEq(pool.delegateOf(loanB), hot2);
    }

    /// @dev Attacker: a keeper colluding with the borrower starves the liquidation of gas so that the revocation fails
    ///      and the delegation stays live over the token the pool keeps through the auction (issue #30). With a
    ///      registry that needs what the canonical one needs, no gas limit does it: the liquidation still has ~40k of
    ///      work after the revocation, so any call that finishes gave the revocation its whole allowance (63/64 rule).
    ///      Every limit from just below success up to 2M either reverts the whole liquidation or revokes.
    function test_attack_gasStarvedLiquidation_neverLeavesTheDelegationLive() public {
        (uint256 loanId, uint256 tokenId) = _borrowWith(carol, PRINCIPAL, hot);
        _overdue(loanId);
        uint256 liquidated;
        for (uint256 g = 100_000; g <= 2_000_000; g += 20_000) {
            uint256 snap = vm.snapshotState();
            // A test is one transaction: make the accounts cold, as they are in the keeper's own transaction.
            vm.cool(address(delegates));
            vm.cool(address(pool));
            vm.cool(address(liquidator));
            vm.cool(address(apes));
            vm.cool(address(oracle));
            vm.prank(keeper);
            (bool ok,) = address(liquidator).call{gas: g}(abi.encodeCall(liquidator.liquidate, (loanId)));
            if (ok) {
                ++liquidated;
                assertFalse(_live(hot, tokenId), "a finished liquidation left the delegation live");
                assertEq(pool.delegateOf(loanId), address(0));
            } else {
                assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Active), "a failed call changed nothing");
            }
            vm.revertToState(snap);
        }
        assertGt(liquidated, 0, "some limits are enough to liquidate");
    }

    function test_revokeStaleDelegate_onlyForClosedLoans_noopWithoutOne() public {
        (uint256 loanId,) = _borrowWith(carol, PRINCIPAL, hot);
        vm.expectRevert(abi.encodeWithSelector(IStrataDelegation.LoanStillActive.selector, loanId));
        pool.revokeStaleDelegate(loanId);
        _fund(carol, PRINCIPAL);
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        vm.recordLogs();
        pool.revokeStaleDelegate(loanId); // nothing stale: no event, no registry call
        assertEq(vm.getRecordedLogs().length, 0);
    }

    function test_registryRevertingOnEnable_revertsTheBorrow() public {
        uint256 tokenId = _mintNft(apes, carol);
        vm.mockCallRevert(address(delegates), IDelegateRegistry.delegateERC721.selector, "no");
        vm.prank(carol);
        vm.expectRevert(bytes("no"));
        pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof(), hot);
    }
}

/// @notice A pool deployed without a registry: delegation is disabled, borrowing is not.
contract PoolDelegationDisabledTest is LiquidationBase {
    function _config() internal view override returns (StrataConfig memory cfg) {
        cfg = super._config();
        cfg.delegateRegistry = address(0);
    }

    function test_disabled_borrowWithDelegateReverts_plainBorrowWorks() public {
        assertEq(address(pool.delegateRegistry()), address(0));
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(IStrataDelegation.DelegationDisabled.selector);
        pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof(), makeAddr("hot"));
        vm.prank(carol);
        uint256 loanId =
            pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof(), address(0));
        vm.prank(carol);
        vm.expectRevert(IStrataDelegation.DelegationDisabled.selector);
        pool.setDelegate(loanId, makeAddr("hot"));
        _fund(carol, PRINCIPAL);
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        assertEq(apes.ownerOf(tokenId), carol);
    }

    function test_disabled_deployerRejectsARegistryWithoutCode() public {
        StrataConfig memory cfg = super._config();
        cfg.delegateRegistry = makeAddr("not a contract");
        vm.expectRevert(abi.encodeWithSelector(DelegateRegistryHasNoCode.selector, cfg.delegateRegistry));
        this.deployWith(cfg);
    }

    /// The deployer creates the pool from its artifact, which forge links against `LoanLogic`: without code there,
    /// every loan operation of the pool would revert, so the deployer refuses (not specific to delegation: this
    /// contract is where the deployer's refusals are tested).
    function test_deployerRejectsAMissingLinkedLibrary() public {
        vm.etch(address(LoanLogic), "");
        vm.expectRevert(
            abi.encodeWithSelector(StrataDeployer.LibraryHasNoCode.selector, "LoanLogic", address(LoanLogic))
        );
        this.deployWith(super._config());
    }

    function deployWith(StrataConfig memory cfg) external {
        _deployStrata(cfg, address(this));
    }
}
