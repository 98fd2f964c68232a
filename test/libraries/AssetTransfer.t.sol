// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

import {AssetTransfer} from "../../src/libraries/AssetTransfer.sol";
import {FeeOnTransferToken} from "../mocks/FeeOnTransferToken.sol";
import {MockStablecoin} from "../mocks/MockStablecoin.sol";

/// @dev Calls the library (its functions are internal) so that a revert is the call's own.
contract AssetTransferHarness {
    function balanceOf(ERC20 token, address account) external view returns (uint256) {
        return AssetTransfer.balanceOf(token, account);
    }

    function pullExact(ERC20 token, address from, uint256 amount) external {
        AssetTransfer.pullExact(token, from, address(this), amount);
    }
}

/// @dev Answers `balanceOf` with fewer than 32 bytes.
contract ShortAnswerToken {
    fallback() external {
        assembly {
            mstore(0, 7)
            return(0, 16)
        }
    }
}

/// @dev Reverts with an `Error(string)` longer than the scratch space.
contract LongRevertToken {
    string public constant REASON =
        "this token refuses to tell anyone its balances, today or on any other day of the year";

    function balanceOf(address) external pure returns (uint256) {
        revert(REASON);
    }
}

/// @dev Reverts every call with a custom error.
contract RevertingToken {
    error Frozen(address account);

    function balanceOf(address account) external pure returns (uint256) {
        revert Frozen(account);
    }
}

/// @notice `AssetTransfer` (SPEC §8.5): the balance read answers what the token's own `balanceOf` does or reverts as a
///         high-level call would (no code, a short answer, the token's own error); the pull moves exactly the amount.
contract AssetTransferTest is Test {
    AssetTransferHarness internal h;
    MockStablecoin internal usdc;

    function setUp() public {
        h = new AssetTransferHarness();
        usdc = new MockStablecoin("USD Coin", "USDC", 6);
    }

    function testFuzz_balanceOf_isTheTokensAnswer(address account, uint128 amount) public {
        vm.assume(account != address(0));
        usdc.mint(account, amount);
        assertEq(h.balanceOf(ERC20(address(usdc)), account), usdc.balanceOf(account));
        // the scratch words it writes are not the free memory: a later allocation is intact
        bytes memory after_ = abi.encode(amount, account);
        assertEq(abi.decode(after_, (uint128)), amount);
    }

    function test_balanceOf_revertsOnATokenWithoutCode() public {
        vm.expectRevert(bytes(""));
        h.balanceOf(ERC20(makeAddr("no code")), address(this));
    }

    function test_balanceOf_revertsEmptyOnAShortAnswer() public {
        ShortAnswerToken t = new ShortAnswerToken();
        // as the high-level call does: a successful answer too short to decode reverts with no data (not with the
        // answer's bytes, which a caller could mistake for the token's error)
        vm.expectRevert(bytes(""));
        h.balanceOf(ERC20(address(t)), address(this));
    }

    function test_balanceOf_bubblesALongRevertReasonIntact() public {
        LongRevertToken t = new LongRevertToken();
        // longer than the 64-byte scratch space the call uses: copied to free memory, whole
        vm.expectRevert(bytes(t.REASON()));
        h.balanceOf(ERC20(address(t)), address(this));
    }

    function test_balanceOf_bubblesTheTokensError() public {
        RevertingToken t = new RevertingToken();
        vm.expectRevert(abi.encodeWithSelector(RevertingToken.Frozen.selector, address(this)));
        h.balanceOf(ERC20(address(t)), address(this));
    }

    function test_pullExact_movesExactlyTheAmount() public {
        address payer = makeAddr("payer");
        usdc.mint(payer, 1000);
        vm.prank(payer);
        usdc.approve(address(h), 1000);
        h.pullExact(ERC20(address(usdc)), payer, 600);
        assertEq(usdc.balanceOf(address(h)), 600);
        assertEq(usdc.balanceOf(payer), 400);
    }

    function test_pullExact_refusesAShortDelivery() public {
        FeeOnTransferToken fee = new FeeOnTransferToken();
        address payer = makeAddr("payer");
        fee.mint(payer, 1000);
        vm.prank(payer);
        fee.approve(address(h), 1000);
        vm.expectRevert(abi.encodeWithSelector(AssetTransfer.FeeOnTransferNotSupported.selector, 1000, 990));
        h.pullExact(ERC20(address(fee)), payer, 1000);
    }
}
