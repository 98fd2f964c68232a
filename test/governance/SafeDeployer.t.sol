// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {SafeConfig, SafeDeployer, SafeInfra} from "../../script/lib/SafeDeployer.sol";

/// @dev The Safe 1.4.1 calls the test makes on the real Safe (created from the npm package's bytecode).
interface ISafeExec {
    function getOwners() external view returns (address[] memory);
    function getThreshold() external view returns (uint256);
    function nonce() external view returns (uint256);
    function getTransactionHash(
        address to,
        uint256 value,
        bytes calldata data,
        uint8 operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address refundReceiver,
        uint256 nonce
    ) external view returns (bytes32);
    function execTransaction(
        address to,
        uint256 value,
        bytes calldata data,
        uint8 operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address payable refundReceiver,
        bytes memory signatures
    ) external payable returns (bool);
}

contract SafeDeployerHarness is SafeDeployer {
    function deployInfra() external returns (SafeInfra memory) {
        return _deploySafeInfra();
    }

    function createSafe(SafeInfra memory s, SafeConfig memory c, uint256 salt) external returns (address) {
        return _createSafe(s, "test", c, salt);
    }
}

/// @dev A target that records its caller.
contract Recorder {
    address public lastCaller;

    function hit() external {
        lastCaller = msg.sender;
    }
}

/// @notice script/lib/SafeDeployer.sol: the real Safe contracts from `@safe-global/safe-contracts@1.4.1`, Safes with
///         the configured owners and threshold, refused configs; a created Safe executes an owner-signed transaction.
contract SafeDeployerTest is Test {
    SafeDeployerHarness internal h;
    SafeInfra internal infra;
    uint256[3] internal keys = [uint256(0xA11CE), 0xB0B, 0xCA401];

    function setUp() public {
        h = new SafeDeployerHarness();
        infra = h.deployInfra();
    }

    function _owners() internal view returns (address[] memory o) {
        o = new address[](3);
        for (uint256 i; i < 3; ++i) {
            o[i] = vm.addr(keys[i]);
        }
    }

    function test_createSafe_ownersAndThresholdAsConfigured() public {
        address safe = h.createSafe(infra, SafeConfig(_owners(), 2), 0);
        assertEq(ISafeExec(safe).getThreshold(), 2);
        assertEq(abi.encode(ISafeExec(safe).getOwners()), abi.encode(_owners()));
        assertEq(
            infra.singleton.code,
            vm.getDeployedCode("node_modules/@safe-global/safe-contracts/build/artifacts/contracts/Safe.sol/Safe.json")
        );
    }

    function test_createSafe_refusesBadConfigs() public {
        address[] memory none = new address[](0);
        vm.expectRevert(abi.encodeWithSelector(SafeDeployer.InvalidSafeConfig.selector, "test", 0, 1));
        h.createSafe(infra, SafeConfig(none, 1), 0);
        vm.expectRevert(abi.encodeWithSelector(SafeDeployer.InvalidSafeConfig.selector, "test", 3, 0));
        h.createSafe(infra, SafeConfig(_owners(), 0), 0);
        vm.expectRevert(abi.encodeWithSelector(SafeDeployer.InvalidSafeConfig.selector, "test", 3, 4));
        h.createSafe(infra, SafeConfig(_owners(), 4), 0);
    }

    function test_createdSafe_executesWithThresholdSignatures_refusesOneShort() public {
        address safe = h.createSafe(infra, SafeConfig(_owners(), 2), 0);
        Recorder r = new Recorder();
        bytes32 hash = ISafeExec(safe)
            .getTransactionHash(address(r), 0, abi.encodeCall(Recorder.hit, ()), 0, 0, 0, 0, address(0), address(0), 0);
        // owners sorted ascending by address, as the Safe requires
        (uint256 k1, uint256 k2) = vm.addr(keys[0]) < vm.addr(keys[2]) ? (keys[0], keys[2]) : (keys[2], keys[0]);
        bytes memory one = _sig(k1, hash);
        vm.expectRevert(bytes("GS020")); // signatures data too short: one of two
        _exec(safe, address(r), one);
        _exec(safe, address(r), bytes.concat(one, _sig(k2, hash)));
        assertEq(r.lastCaller(), safe);
        assertEq(ISafeExec(safe).nonce(), 1);
    }

    function _exec(address safe, address target, bytes memory sigs) internal {
        ISafeExec(safe)
            .execTransaction(
                target, 0, abi.encodeCall(Recorder.hit, ()), 0, 0, 0, 0, address(0), payable(address(0)), sigs
            );
    }

    function _sig(uint256 key, bytes32 hash) internal pure returns (bytes memory) {
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(key, hash);
        return abi.encodePacked(rr, s, v);
    }
}
