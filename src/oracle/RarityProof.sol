// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title RarityProof
/// @notice Verifies a token's rarity multiplier against a collection's rarity Merkle root (SPEC §3, Appraisal).
/// @dev Trees are built off-chain with `@openzeppelin/merkle-tree`'s `StandardMerkleTree.of(entries,
///      ["uint256", "uint256"])` over `[tokenId, multiplierBps]` entries (see `ts-sdk/src/math/rarity.ts`); the leaf is the
///      library's double hash `keccak256(bytes.concat(keccak256(abi.encode(tokenId, multiplierBps))))`, which cannot
///      collide with an inner node (64-byte preimage). Proofs use OpenZeppelin's sorted-pair `MerkleProof`.
///      The pool applies `DEFAULT_MULTIPLIER_BPS` when no proof is given and caps a proven multiplier by its own
///      governance bound; this library only answers whether a pair is in the tree.
library RarityProof {
    /// @notice The multiplier of a token without a proof: 1x.
    uint256 internal constant DEFAULT_MULTIPLIER_BPS = 10_000;

    /// @notice The StandardMerkleTree leaf of `(tokenId, multiplierBps)`.
    function leaf(uint256 tokenId, uint256 multiplierBps) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(tokenId, multiplierBps))));
    }

    /// @notice Whether `(tokenId, multiplierBps)` is a leaf of the tree with root `root`, by `proof`.
    /// @dev A zero root (no rarity tree set) verifies nothing.
    function verify(bytes32 root, uint256 tokenId, uint256 multiplierBps, bytes32[] calldata proof)
        internal
        pure
        returns (bool)
    {
        if (root == bytes32(0)) return false;
        return MerkleProof.verifyCalldata(proof, root, leaf(tokenId, multiplierBps));
    }
}
