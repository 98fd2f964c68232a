// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RarityProof} from "../../src/oracle/RarityProof.sol";

/// @notice Exposes RarityProof externally, for forge tests and for the SDK's on-chain proof tests.
contract RarityHarness {
    function verify(bytes32 root, uint256 tokenId, uint256 multiplierBps, bytes32[] calldata proof)
        external
        pure
        returns (bool)
    {
        return RarityProof.verify(root, tokenId, multiplierBps, proof);
    }

    function leaf(uint256 tokenId, uint256 multiplierBps) external pure returns (bytes32) {
        return RarityProof.leaf(tokenId, multiplierBps);
    }

    function defaultMultiplierBps() external pure returns (uint256) {
        return RarityProof.DEFAULT_MULTIPLIER_BPS;
    }
}
