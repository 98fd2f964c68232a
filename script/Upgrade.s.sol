// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {console} from "forge-std/console.sol";

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

import {ICollectionRegistry} from "../src/interfaces/ICollectionRegistry.sol";
import {IDelegateRegistry} from "../src/interfaces/IDelegateRegistry.sol";
import {ILiquidator} from "../src/interfaces/ILiquidator.sol";
import {IStrataPool, Tranche} from "../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../src/interfaces/ITrancheVault.sol";
import {PoolStorageLayout} from "../src/pool/PoolStorageLayout.sol";
import {TimelockBatch} from "./governance/TimelockBatch.sol";

/// @title Upgrade
/// @notice Deploys a new implementation of a named Strata contract and schedules `upgradeToAndCall` on its
///         proxies through the timelock (both vaults for `TrancheVault`; `Release`: the pool, the registry, both vaults
///         and the liquidator in one batch, pool first, for a release that changes their calls to each other, as 0.4
///         does, followed by the registry's `syncPool` for each collection listed in `deployments/<NETWORK>.json`).
///         The proposal is written to
///         `deployments/<NETWORK>.upgrade-<CONTRACT>.json`; execute it after the delay with `Execute.s.sol`.
///
///         Before a release: `npm run test:upgrades` (storage layout and upgrade safety, see storage-layout/README.md).
///
///         CONTRACT=StrataPool NETWORK=local \
///           forge script script/Upgrade.s.sol --rpc-url <URL> --private-key <PROPOSER_KEY> --broadcast
///         PROPOSAL=deployments/local.upgrade-StrataPool.json NETWORK=local \
///           forge script script/governance/Execute.s.sol --rpc-url <URL> --private-key <EXECUTOR_KEY> --broadcast
///
///         ARTIFACT overrides the artifact (default `<CONTRACT>.sol:<CONTRACT>`); UPGRADE_CALL is optional calldata
///         for `upgradeToAndCall` (default empty: no call). Anyone may deploy the implementation; only a proposer's
///         broadcast schedules, otherwise the calldata is printed for the multisig.
///
///         Implementations are built for the proxy they serve (constructor immutables, SPEC §8.6): the pool's wiring,
///         each vault's pool, tranche and asset, the liquidator's pool, asset and registry, all read from the running
///         proxies, so each vault gets its own implementation. The pool's delegate.xyz registry (SPEC §3.7) is
///         DELEGATE_REGISTRY, by default the one the running pool uses, else `delegateRegistry` of
///         `deployments/<NETWORK>.json`, else zero. Changing the registry of a pool that has one is refused: its live
///         delegations are in that registry and only it can revoke them.
contract Upgrade is TimelockBatch {
    /// @notice `name` is not an upgradeable contract of a Strata deployment.
    error UnknownContract(string name);
    /// @notice The upgrade would move the pool from delegate registry `current` to `requested`.
    error DelegateRegistryChanged(address current, address requested);
    /// @notice `CONTRACT=Release` takes neither ARTIFACT nor UPGRADE_CALL (each proxy gets its own contract's build).
    error ReleaseTakesNoOverride();

    function run() external returns (Batch memory b, address[] memory implementations) {
        return upgradeAs(
            vm.envString("CONTRACT"),
            vm.envOr("ARTIFACT", string("")),
            vm.envOr("NETWORK", string("local")),
            vm.envOr("UPGRADE_CALL", bytes("")),
            address(0)
        );
    }

    /// @notice The script's logic; `sender` zero means forge's broadcaster. Returns the batch and the new
    ///         implementations (one per proxy, in `proxyKeys` order); the batch is scheduled when `sender` is a proposer.
    function upgradeAs(
        string memory name,
        string memory artifact,
        string memory network,
        bytes memory upgradeCall,
        address sender
    ) public returns (Batch memory b, address[] memory implementations) {
        string[] memory proxies = proxyKeys(name);
        bool release = keccak256(bytes(name)) == keccak256("Release");
        if (release && (bytes(artifact).length != 0 || upgradeCall.length != 0)) revert ReleaseTakesNoOverride();
        if (sender == address(0)) {
            vm.startBroadcast();
            (, sender,) = vm.readCallers();
        } else {
            vm.startBroadcast(sender);
        }
        implementations = new address[](proxies.length);
        for (uint256 i; i < proxies.length; ++i) {
            string memory c = contractOf(name, proxies[i]);
            string memory a = bytes(artifact).length == 0 ? string.concat(c, ".sol:", c) : artifact;
            implementations[i] = vm.deployCode(a, constructorArgs(c, proxies[i], network));
        }
        string memory path = string.concat("deployments/", network, ".upgrade-", name, ".json");
        _writeProposal(path, name, implementations, proxies, upgradeCall, release ? network : "");
        b = loadBatch(path, network);
        uint256 delay = b.timelock.getMinDelay();
        _printBatch(b, delay);
        if (b.timelock.hasRole(b.timelock.PROPOSER_ROLE(), sender)) {
            b.timelock.scheduleBatch(b.targets, b.values, b.payloads, b.predecessor, b.salt, delay);
            console.log("Scheduled; executable at", block.timestamp + delay);
        } else {
            console.log("Broadcaster", sender, "is not a proposer: submit the scheduleBatch calldata above.");
        }
        vm.stopBroadcast();
        for (uint256 i; i < proxies.length; ++i) {
            console.log(string.concat("New implementation for ", proxies[i], ":"), implementations[i]);
        }
        console.log("Proposal file:", path);
    }

    /// @notice The constructor arguments of a new implementation of `name` for the proxy at deployment key `key`:
    ///         the addresses the running proxies are wired to (immutables since #30), read from them.
    function constructorArgs(string memory name, string memory key, string memory network)
        public
        view
        returns (bytes memory)
    {
        string memory deployment = vm.readFile(string.concat(vm.projectRoot(), "/deployments/", network, ".json"));
        address proxy = vm.parseJsonAddress(deployment, string.concat(".", key));
        bytes32 h = keccak256(bytes(name));
        if (h == keccak256("TrancheVault")) {
            ITrancheVault v = ITrancheVault(proxy);
            return abi.encode(v.pool(), v.tranche(), IERC4626(proxy).asset());
        }
        if (h == keccak256("CollectionRegistry")) {
            // The pool whose copy of the collections' configuration the registry writes (0.4, issue #30).
            return abi.encode(vm.parseJsonAddress(deployment, ".pool"));
        }
        if (h == keccak256("DutchAuctionLiquidator")) {
            IStrataPool pool_ = ILiquidator(proxy).pool();
            return abi.encode(pool_, pool_.asset(), pool_.registry());
        }
        if (h != keccak256("StrataPool")) return "";
        IStrataPool pool = IStrataPool(proxy);
        (bool answers, bytes memory ret) = proxy.staticcall(abi.encodeWithSignature("delegateRegistry()"));
        address current = answers && ret.length == 32 ? abi.decode(ret, (address)) : address(0);
        address fallback_ = vm.keyExistsJson(deployment, ".delegateRegistry")
            ? vm.parseJsonAddress(deployment, ".delegateRegistry")
            : address(0);
        address requested = vm.envOr("DELEGATE_REGISTRY", current != address(0) ? current : fallback_);
        if (current != address(0) && requested != current) revert DelegateRegistryChanged(current, requested);
        return abi.encode(
            PoolStorageLayout.Wiring({
                delegateRegistry: IDelegateRegistry(requested),
                asset: ERC20(pool.asset()),
                registry: ICollectionRegistry(pool.registry()),
                seniorVault: pool.vault(Tranche.Senior),
                juniorVault: pool.vault(Tranche.Junior),
                liquidator: pool.liquidator()
            })
        );
    }

    /// @notice The deployment keys of the proxies that run contract `name`.
    function proxyKeys(string memory name) public pure returns (string[] memory keys) {
        bytes32 h = keccak256(bytes(name));
        if (h == keccak256("Release")) {
            // The contracts whose calls to each other change with a release, the pool first (SPEC §8.6); the registry
            // after it (0.4 writes the pool's copy of each collection's configuration, which only a 0.4 pool has).
            keys = new string[](5);
            keys[0] = "pool";
            keys[1] = "registry";
            keys[2] = "seniorVault";
            keys[3] = "juniorVault";
            keys[4] = "liquidator";
            return keys;
        }
        if (h == keccak256("TrancheVault")) {
            keys = new string[](2);
            keys[0] = "seniorVault";
            keys[1] = "juniorVault";
            return keys;
        }
        keys = new string[](1);
        if (h == keccak256("StrataPool")) keys[0] = "pool";
        else if (h == keccak256("CollectionRegistry")) keys[0] = "registry";
        else if (h == keccak256("AppraisalOracle")) keys[0] = "oracle";
        else if (h == keccak256("DutchAuctionLiquidator")) keys[0] = "liquidator";
        else revert UnknownContract(name);
    }

    /// @notice The contract behind deployment key `key` of an upgrade of `name` (`Release`: each key's own).
    function contractOf(string memory name, string memory key) public pure returns (string memory) {
        if (keccak256(bytes(name)) != keccak256("Release")) return name;
        bytes32 k = keccak256(bytes(key));
        if (k == keccak256("pool")) return "StrataPool";
        if (k == keccak256("registry")) return "CollectionRegistry";
        if (k == keccak256("liquidator")) return "DutchAuctionLiquidator";
        return "TrancheVault";
    }

    /// @dev Writes the proposal to `path` (`network` empty: no collection to sync).
    function _writeProposal(
        string memory path,
        string memory name,
        address[] memory impls,
        string[] memory proxies,
        bytes memory upgradeCall,
        string memory network
    ) internal {
        address[] memory collections = bytes(network).length == 0 ? new address[](0) : _collections(network);
        vm.writeFile(
            string.concat(vm.projectRoot(), "/", path), _proposalJson(name, impls, proxies, upgradeCall, collections)
        );
    }

    /// @dev The listed collections of deployment `network` (`collections` in `deployments/<network>.json`).
    function _collections(string memory network) internal view returns (address[] memory) {
        string memory deployment = vm.readFile(string.concat(vm.projectRoot(), "/deployments/", network, ".json"));
        if (!vm.keyExistsJson(deployment, ".collections")) return new address[](0);
        return vm.parseJsonAddressArray(deployment, ".collections");
    }

    /// @dev The proposal: `upgradeToAndCall` on each proxy, then (a release) the registry's `syncPool` for each listed
    ///      collection, which fills the 0.4 pool's copy of its configuration in the same batch (SPEC §8.6).
    function _proposalJson(
        string memory name,
        address[] memory impls,
        string[] memory proxies,
        bytes memory upgradeCall,
        address[] memory collections
    ) internal pure returns (string memory json) {
        json = string.concat('{"description":"Upgrade ', name, " to implementation ", vm.toString(impls[0]));
        for (uint256 i = 1; i < impls.length; ++i) {
            json = string.concat(json, " (", proxies[0], "), ", vm.toString(impls[i]), " (", proxies[i], ")");
        }
        json = string.concat(json, '","calls":[');
        for (uint256 i; i < proxies.length; ++i) {
            string memory data = vm.toString(abi.encodeCall(UUPSUpgradeable.upgradeToAndCall, (impls[i], upgradeCall)));
            json = string.concat(
                json,
                i == 0 ? "" : ",",
                '{"target":"',
                proxies[i],
                '","value":0,"signature":"upgradeToAndCall(address,bytes)","data":"',
                data,
                '"}'
            );
        }
        for (uint256 i; i < collections.length; ++i) {
            json = string.concat(
                json,
                ',{"target":"registry","value":0,"signature":"syncPool(address)","data":"',
                vm.toString(abi.encodeCall(ICollectionRegistry.syncPool, (collections[i]))),
                '"}'
            );
        }
        json = string.concat(json, "]}");
    }
}
