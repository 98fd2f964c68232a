// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";

/// @notice A Safe to create: its owners and how many of them must sign.
struct SafeConfig {
    address[] owners;
    uint256 threshold;
}

/// @notice The Safe contracts of a chain (singleton, proxy factory, fallback handler, MultiSendCallOnly).
struct SafeInfra {
    address singleton;
    address proxyFactory;
    address fallbackHandler;
    address multiSendCallOnly;
}

/// @dev `SafeProxyFactory.createProxyWithNonce` (Safe 1.4.1), called with the factory's own bytecode deployed below.
interface ISafeProxyFactory {
    function createProxyWithNonce(address singleton, bytes memory initializer, uint256 saltNonce)
        external
        returns (address proxy);
}

/// @dev The Safe 1.4.1 calls this routine makes: `setup` (the proxy's initializer, encoded only) and the reads that
///      check the result.
interface ISafeSetup {
    function setup(
        address[] calldata owners,
        uint256 threshold,
        address to,
        bytes calldata data,
        address fallbackHandler,
        address paymentToken,
        uint256 payment,
        address payable paymentReceiver
    ) external;
    function getOwners() external view returns (address[] memory);
    function getThreshold() external view returns (uint256);
    function isOwner(address owner) external view returns (bool);
}

/// @title SafeDeployer
/// @notice Deploys the real Safe 1.4.1 contracts on a local chain from the bytecode `@safe-global/safe-contracts@1.4.1`
///         ships (its Hardhat artifacts under `build/artifacts`, created with `vm.deployCode`: no Safe code of ours),
///         and creates Safes (proxies of the singleton, set up with owners, threshold and the compatibility fallback
///         handler) through its `SafeProxyFactory`. On a public network the canonical Safe deployments exist and a
///         deployment names its Safes' addresses in the config instead.
abstract contract SafeDeployer is CommonBase {
    string internal constant SAFE_ARTIFACTS = "node_modules/@safe-global/safe-contracts/build/artifacts/contracts/";

    /// @notice A Safe to create has no owner, or a threshold of zero or above its number of owners.
    error InvalidSafeConfig(string name, uint256 owners, uint256 threshold);
    /// @notice The created Safe does not hold the configured owners or threshold.
    error SafeSetupMismatch(string name, address safe);

    /// @notice Deploys the Safe singleton, proxy factory, CompatibilityFallbackHandler and MultiSendCallOnly.
    function _deploySafeInfra() internal returns (SafeInfra memory s) {
        s.singleton = vm.deployCode(string.concat(SAFE_ARTIFACTS, "Safe.sol/Safe.json"));
        s.proxyFactory =
            vm.deployCode(string.concat(SAFE_ARTIFACTS, "proxies/SafeProxyFactory.sol/SafeProxyFactory.json"));
        s.fallbackHandler = vm.deployCode(
            string.concat(SAFE_ARTIFACTS, "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json")
        );
        s.multiSendCallOnly =
            vm.deployCode(string.concat(SAFE_ARTIFACTS, "libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json"));
    }

    /// @notice Creates a Safe named `name` (the name only labels errors; `saltNonce` makes its address unique).
    function _createSafe(SafeInfra memory s, string memory name, SafeConfig memory c, uint256 saltNonce)
        internal
        returns (address safe)
    {
        if (c.owners.length == 0 || c.threshold == 0 || c.threshold > c.owners.length) {
            revert InvalidSafeConfig(name, c.owners.length, c.threshold);
        }
        bytes memory init = abi.encodeCall(
            ISafeSetup.setup,
            (c.owners, c.threshold, address(0), "", s.fallbackHandler, address(0), 0, payable(address(0)))
        );
        safe = ISafeProxyFactory(s.proxyFactory).createProxyWithNonce(s.singleton, init, saltNonce);
        if (
            ISafeSetup(safe).getThreshold() != c.threshold
                || keccak256(abi.encode(ISafeSetup(safe).getOwners())) != keccak256(abi.encode(c.owners))
        ) revert SafeSetupMismatch(name, safe);
    }
}
