// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RarityHarness} from "../harness/RarityHarness.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {Test} from "forge-std/Test.sol";

contract RarityProofTest is Test {
    RarityHarness internal h;

    // Produced by @openzeppelin/merkle-tree 1.0.8:
    // StandardMerkleTree.of([[1,10000],[2,15000],[3,30000],[42,12500],[7777,20000]], ["uint256","uint256"])
    bytes32 internal constant ROOT = 0x62d4916c6fb54d6589ca2643f4a2a0c58b998aa002016bd24e9044fd6352787d;

    function setUp() public {
        h = new RarityHarness();
    }

    function _proof42() internal pure returns (bytes32[] memory p) {
        p = new bytes32[](3);
        p[0] = 0x30ef65e6a709dbaca0a000e2b03d38bc021545cbdcf082176aabca1f84a54cff;
        p[1] = 0xccf7fe4f06cb8331ed0f6843eabb013b9f51fb17575f3de34c675ca92685e833;
        p[2] = 0x83977e7a00d844e1113106186d7140df45c164ceb76369e821ce51f6586fadb7;
    }

    function _proof2() internal pure returns (bytes32[] memory p) {
        p = new bytes32[](2);
        p[0] = 0x8eadd822a16e3568ecd5e8aa3dbccb9f59dc0ebfac045210133f1edf5b5a4340;
        p[1] = 0x11d937048a2c779bac38589d3fc606353e302b484a2554a3e7366c8628842873;
    }

    function test_defaultMultiplierIsOneX() public view {
        assertEq(h.defaultMultiplierBps(), 10_000);
    }

    function test_leaf_isStandardMerkleTreeDoubleHash() public view {
        assertEq(h.leaf(42, 12_500), keccak256(bytes.concat(keccak256(abi.encode(uint256(42), uint256(12_500))))));
    }

    function test_verify_acceptsProofsFromTheJsLibrary() public view {
        assertTrue(h.verify(ROOT, 42, 12_500, _proof42()));
        assertTrue(h.verify(ROOT, 2, 15_000, _proof2()));
    }

    function test_verify_rejectsWrongMultiplier() public view {
        assertFalse(h.verify(ROOT, 42, 12_501, _proof42()));
        assertFalse(h.verify(ROOT, 42, 30_000, _proof42()));
    }

    function test_verify_rejectsWrongTokenOrProof() public view {
        assertFalse(h.verify(ROOT, 43, 12_500, _proof42()));
        assertFalse(h.verify(ROOT, 42, 12_500, _proof2()));
        bytes32[] memory truncated = new bytes32[](2);
        truncated[0] = _proof42()[0];
        truncated[1] = _proof42()[1];
        assertFalse(h.verify(ROOT, 42, 12_500, truncated));
        assertFalse(h.verify(ROOT, 42, 12_500, new bytes32[](0)));
    }

    function test_verify_rejectsInnerNodeAsLeaf() public view {
        // an inner node (pair hash) cannot pass as a leaf: second-preimage resistance of the double-hashed leaf
        bytes32[] memory p = _proof42();
        bytes32 inner = Hashes.commutativeKeccak256(h.leaf(42, 12_500), p[0]);
        bytes32[] memory rest = new bytes32[](2);
        rest[0] = p[1];
        rest[1] = p[2];
        assertFalse(h.verify(ROOT, uint256(inner), 0, rest));
    }

    function test_verify_zeroRootVerifiesNothing() public view {
        // even the degenerate single-leaf case (root == leaf, empty proof) fails for a zero root
        assertFalse(h.verify(bytes32(0), 42, 12_500, new bytes32[](0)));
    }

    function test_verify_singleLeafTree() public view {
        bytes32 root = h.leaf(5, 20_000);
        assertTrue(h.verify(root, 5, 20_000, new bytes32[](0)));
        assertFalse(h.verify(root, 5, 20_001, new bytes32[](0)));
    }

    /// A two-leaf tree built here verifies both members and nothing else.
    function testFuzz_verify_twoLeafTree(uint256 idA, uint256 mulA, uint256 idB, uint256 mulB, uint256 otherMul)
        public
        view
    {
        vm.assume(idA != idB || mulA != mulB);
        vm.assume(otherMul != mulA);
        bytes32 la = h.leaf(idA, mulA);
        bytes32 lb = h.leaf(idB, mulB);
        bytes32 root = Hashes.commutativeKeccak256(la, lb);
        bytes32[] memory pa = new bytes32[](1);
        pa[0] = lb;
        bytes32[] memory pb = new bytes32[](1);
        pb[0] = la;
        assertTrue(h.verify(root, idA, mulA, pa));
        assertTrue(h.verify(root, idB, mulB, pb));
        assertFalse(h.verify(root, idA, otherMul, pa));
    }
}
