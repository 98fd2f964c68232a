// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {DevDelegateRegistry} from "../../script/dev/DevDelegateRegistry.sol";
import {IDelegateRegistry} from "../../src/interfaces/IDelegateRegistry.sol";

/// @notice The local stand-in for the delegate.xyz v2 registry keeps the real registry's semantics: rights are part
///         of the key, all-rights delegations answer every rights query, revocation needs the same rights, only the
///         delegator revokes, and empty or revoked records never validate. (Its ABI is checked against the official
///         one in ts-sdk/test/delegate-registry.test.ts.)
contract DevDelegateRegistryTest is Test {
    DevDelegateRegistry internal reg;
    address internal vault = makeAddr("vault");
    address internal hot = makeAddr("hot");
    address internal other = makeAddr("other");
    address internal nft = makeAddr("nft");
    bytes32 internal constant CLAIM = "claim";
    bytes32 internal constant VOTE = "vote";

    function setUp() public {
        reg = new DevDelegateRegistry();
    }

    function _erc721(address to, uint256 id, bytes32 rights, bool enable) internal returns (bytes32) {
        vm.prank(vault);
        return reg.delegateERC721(to, nft, id, rights, enable);
    }

    function test_allRightsTokenDelegationAnswersEveryRightsQuery() public {
        _erc721(hot, 7, "", true);
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 7, ""));
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 7, CLAIM));
        assertFalse(reg.checkDelegateForERC721(hot, vault, nft, 8, ""), "other token");
        assertFalse(reg.checkDelegateForERC721(other, vault, nft, 7, ""), "other delegate");
        assertFalse(reg.checkDelegateForERC721(hot, other, nft, 7, ""), "other vault");
        assertFalse(reg.checkDelegateForContract(hot, vault, nft, ""), "token level does not grant contract level");
    }

    function test_specificRightsAreOnlyThoseRights() public {
        _erc721(hot, 7, CLAIM, true);
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 7, CLAIM));
        assertFalse(reg.checkDelegateForERC721(hot, vault, nft, 7, ""), "specific rights are not all rights");
        assertFalse(reg.checkDelegateForERC721(hot, vault, nft, 7, VOTE));
    }

    function test_rightsArePartOfTheKey_revokeNeedsTheSameRights() public {
        _erc721(hot, 7, "", true);
        _erc721(hot, 7, CLAIM, false); // a different key: revokes nothing
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 7, ""));
        _erc721(hot, 7, "", false);
        assertFalse(reg.checkDelegateForERC721(hot, vault, nft, 7, ""));
        assertFalse(reg.checkDelegateForERC721(hot, vault, nft, 7, CLAIM));
    }

    function test_reEnableAfterRevoke_andIdempotentEnable() public {
        bytes32 h1 = _erc721(hot, 7, "", true);
        bytes32 h2 = _erc721(hot, 7, "", true);
        assertEq(h1, h2);
        assertEq(reg.getOutgoingDelegationHashes(vault).length, 1);
        _erc721(hot, 7, "", false);
        assertEq(reg.getOutgoingDelegationHashes(vault).length, 0);
        assertEq(reg.getIncomingDelegations(hot).length, 0);
        _erc721(hot, 7, "", true);
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 7, ""));
        DevDelegateRegistry.Delegation[] memory out = reg.getOutgoingDelegations(vault);
        assertEq(out.length, 1);
        assertEq(uint8(out[0].type_), uint8(DevDelegateRegistry.DelegationType.ERC721));
        assertEq(out[0].from, vault);
        assertEq(out[0].to, hot);
        assertEq(out[0].contract_, nft);
        assertEq(out[0].tokenId, 7);
    }

    function test_onlyTheDelegatorRevokes() public {
        _erc721(hot, 7, "", true);
        vm.prank(other);
        reg.delegateERC721(hot, nft, 7, "", false); // other's key: nothing of vault's changes
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 7, ""));
    }

    function test_walletAndContractLevelsCoverTheToken() public {
        vm.prank(vault);
        reg.delegateContract(hot, nft, "", true);
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 99, CLAIM));
        vm.prank(vault);
        reg.delegateAll(other, VOTE, true);
        assertTrue(reg.checkDelegateForERC721(other, vault, nft, 1, VOTE));
        assertFalse(reg.checkDelegateForERC721(other, vault, nft, 1, ""));
        assertFalse(reg.checkDelegateForERC721(other, vault, nft, 1, CLAIM));
    }

    function test_emptyAndRevokedFromNeverValidate() public view {
        assertFalse(reg.checkDelegateForERC721(hot, address(0), nft, 7, ""));
        assertFalse(reg.checkDelegateForERC721(hot, address(1), nft, 7, ""));
        assertFalse(reg.checkDelegateForAll(hot, address(0), ""));
    }

    function test_eventOnEveryCall() public {
        vm.expectEmit(address(reg));
        emit IDelegateRegistry.DelegateERC721(vault, hot, nft, 7, "", true);
        _erc721(hot, 7, "", true);
        vm.expectEmit(address(reg));
        emit IDelegateRegistry.DelegateERC721(vault, hot, nft, 7, CLAIM, false);
        _erc721(hot, 7, CLAIM, false); // no-op revoke still emits
    }

    function test_fungibleAmounts() public {
        vm.startPrank(vault);
        reg.delegateERC20(hot, nft, "", 50);
        reg.delegateERC20(hot, nft, CLAIM, 80);
        vm.stopPrank();
        assertEq(reg.checkDelegateForERC20(hot, vault, nft, ""), 50);
        assertEq(reg.checkDelegateForERC20(hot, vault, nft, CLAIM), 80);
        vm.prank(vault);
        reg.delegateERC20(hot, nft, "", 0);
        assertEq(reg.checkDelegateForERC20(hot, vault, nft, ""), 0);
        vm.prank(vault);
        reg.delegateERC1155(hot, nft, 3, "", 5);
        assertEq(reg.checkDelegateForERC1155(hot, vault, nft, 3, ""), 5);
        assertEq(reg.checkDelegateForERC1155(hot, vault, nft, 4, ""), 0);
        vm.prank(vault);
        reg.delegateContract(hot, nft, "", true);
        assertEq(reg.checkDelegateForERC1155(hot, vault, nft, 4, ""), type(uint256).max);
    }

    function test_multicallRunsAsCaller_andRevertsAsAWhole() public {
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(reg.delegateERC721, (hot, nft, 1, "", true));
        calls[1] = abi.encodeCall(reg.delegateERC721, (hot, nft, 2, "", true));
        vm.prank(vault);
        reg.multicall(calls);
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 1, ""));
        assertTrue(reg.checkDelegateForERC721(hot, vault, nft, 2, ""));
        calls[1] = hex"deadbeef";
        vm.prank(vault);
        vm.expectRevert(DevDelegateRegistry.MulticallFailed.selector);
        reg.multicall(calls);
    }

    function test_getDelegationsFromHashes_revokedIsNone() public {
        bytes32[] memory hashes = new bytes32[](2);
        hashes[0] = _erc721(hot, 7, "", true);
        hashes[1] = _erc721(hot, 8, "", true);
        _erc721(hot, 8, "", false);
        DevDelegateRegistry.Delegation[] memory out = reg.getDelegationsFromHashes(hashes);
        assertEq(out[0].tokenId, 7);
        assertEq(uint8(out[1].type_), uint8(DevDelegateRegistry.DelegationType.NONE));
        assertEq(out[1].from, address(0));
    }
}
