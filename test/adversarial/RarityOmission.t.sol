// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {Governed} from "../../src/governance/Governed.sol";
import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {CollectionParams, IStrataPool, RarityProof} from "../../src/interfaces/IStrataPool.sol";
import {RarityProof as RarityProofLib} from "../../src/oracle/RarityProof.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice A-5 (medium, fixed): leaving out a rarity proof borrowed more than the list allows. A borrow without a
///         proof was priced at 1× even when the collection's rarity list priced the token below 1× (dev collection
///         2, token 6 at 0.9×: loan 50 stored `rarityBps = 10000`). Now a collection with a rarity list prices a
///         proof-less borrow at its governance-set proof-less multiplier (the list's smallest, at most 1×), and
///         refuses it while none is set (SPEC §3.4).
contract RarityOmissionTest is StrataTestBase {
    uint256 internal tokenId;
    RarityProof internal proof;

    /// @dev Apes listed with a two-leaf rarity list: `tokenId` at 0.9×, another token at 1.5×.
    function setUp() public override {
        super.setUp();
        tokenId = _mintNft(apes, carol);
        bytes32 mine = RarityProofLib.leaf(tokenId, 9000);
        bytes32 other = RarityProofLib.leaf(type(uint256).max, 15_000);
        CollectionParams memory p = _paramsA();
        p.rarityRoot = Hashes.commutativeKeccak256(mine, other);
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        proof.multiplierBps = 9000;
        proof.proof = new bytes32[](1);
        proof.proof[0] = other;
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
    }

    function _root() internal view returns (bytes32) {
        (CollectionParams memory p,,) = registry.collection(address(apes));
        return p.rarityRoot;
    }

    function _borrowNoProof(uint256 principal) internal returns (uint256) {
        vm.prank(carol);
        return pool.borrow(address(apes), tokenId, principal, 30 days, type(uint256).max, _noProof());
    }

    function test_attack_rarityOmission_noProofWithoutGovernanceValue_refused() public {
        // 50k is the 1× LTV limit; the token is listed at 0.9× (45k).
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.RarityProofRequired.selector, address(apes), tokenId));
        _borrowNoProof(50_000 * USDC);
        assertEq(registry.noProofRarity(address(apes)), 0, "a proof is required");
    }

    function test_attack_rarityOmission_noProof_pricedAtTheListMinimum() public {
        vm.expectEmit(address(registry));
        emit ICollectionRegistry.NoProofRaritySet(address(apes), _root(), 0, 9000);
        vm.prank(gov);
        registry.setNoProofRarity(address(apes), 9000);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsLtv.selector, 50_000 * USDC, 45_000 * USDC));
        _borrowNoProof(50_000 * USDC);
        uint256 loanId = _borrowNoProof(45_000 * USDC);
        assertEq(pool.loan(loanId).rarityBps, 9000, "stored at the proof-less multiplier, not 1x");
    }

    function test_rarityProof_stillPricesTheToken() public {
        vm.prank(carol);
        uint256 loanId = pool.borrow(address(apes), tokenId, 45_000 * USDC, 30 days, type(uint256).max, proof);
        assertEq(pool.loan(loanId).rarityBps, 9000);
    }

    function test_setNoProofRarity_boundedAtOneX_governanceOnly() public {
        vm.startPrank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("noProofRarityBps"), 10_001, 1, 10_000
            )
        );
        registry.setNoProofRarity(address(apes), 10_001);
        vm.expectRevert(
            abi.encodeWithSelector(IStrataPool.ParameterOutOfBounds.selector, bytes32("noProofRarityBps"), 0, 1, 10_000)
        );
        registry.setNoProofRarity(address(apes), 0);
        // Without a rarity list there is nothing to set: every token is 1x.
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("rarityRoot"), 0, 1, type(uint256).max
            )
        );
        registry.setNoProofRarity(address(punks), 9000);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, address(0xbeef)));
        registry.setNoProofRarity(address(0xbeef), 9000);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, carol));
        vm.prank(carol);
        registry.setNoProofRarity(address(apes), 9000);
        assertEq(registry.noProofRarity(address(punks)), 10_000, "no list: 1x");
    }

    /// @dev A new rarity list needs its own proof-less value: changing the root resets it (proof required).
    function test_newRoot_resetsTheProofLessMultiplier() public {
        vm.prank(gov);
        registry.setNoProofRarity(address(apes), 9000);
        CollectionParams memory p = _paramsA();
        p.rarityRoot = keccak256("another list");
        vm.expectEmit(address(registry));
        emit ICollectionRegistry.NoProofRaritySet(address(apes), p.rarityRoot, 9000, 0);
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        assertEq(registry.noProofRarity(address(apes)), 0);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.RarityProofRequired.selector, address(apes), tokenId));
        _borrowNoProof(10_000 * USDC);
    }
}
