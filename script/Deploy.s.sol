// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Script} from "forge-std/Script.sol";
import {console} from "forge-std/console.sol";

import {Governed} from "../src/governance/Governed.sol";
import {AuctionParams} from "../src/interfaces/ILiquidator.sol";
import {DevCollection} from "./dev/DevCollection.sol";
import {DevDelegateRegistry} from "./dev/DevDelegateRegistry.sol";
import {DevStablecoin} from "./dev/DevStablecoin.sol";
import {ISafeSetup, SafeConfig, SafeDeployer, SafeInfra} from "./lib/SafeDeployer.sol";
import {StrataConfig, StrataDeployer, StrataDeployment} from "./lib/StrataDeployer.sol";

/// @title Deploy
/// @notice Deploys Strata from `config/<NETWORK>.json` with the shared `StrataDeployer` routine and writes every
///         address to `deployments/<NETWORK>.json`.
///
///         forge script script/Deploy.s.sol --rpc-url <URL> --private-key <KEY> --broadcast   (NETWORK=local default)
///
///         On chain id 31337 only, `asset = 0x0` deploys a `DevStablecoin` and `devCollections = n` deploys n
///         `DevCollection`s for the local demo, and `devDelegateRegistry = true` deploys a `DevDelegateRegistry` (the
///         delegate.xyz v2 stand-in) as the pool's delegate registry. Elsewhere `delegateRegistry` is the canonical
///         v2 registry, or zero to deploy without delegation (SPEC §3.7). On chain id 31337 only, `governanceSafe`
///         and `guardianSafe` ({ owners, threshold }) deploy the real Safe 1.4.1 contracts from the npm
///         package safe-contracts of safe-global (script/lib/SafeDeployer.sol) and create those two Safes: the first becomes
///         the timelock's only proposer, canceller and executor, the second the guardian (the config's `proposers`,
///         `executors` and `guardian` are then empty / zero). After deployment the script checks that the broadcaster holds no
///         right anywhere (governance, pending governance, guardian, reporter, any timelock role) and reverts if
///         it does (and that it owns neither Safe). Listing collections and appointing reporters are governance
///         acts: propose them through the timelock (`strata gov propose --safe` when a Safe is the proposer,
///         `script/governance/Propose.s.sol` for an account proposer).
contract Deploy is Script, StrataDeployer, SafeDeployer {
    uint256 internal constant LOCAL_CHAIN_ID = 31_337;

    /// @notice The config asks for a dev delegate registry and names one as well.
    error ConflictingDelegateRegistry(address configured);
    /// @notice A dev-only asset, collection, delegate registry or Safe set (the Safe contracts and Safes the config
    ///         asks to create) was requested on a chain other than local anvil.
    error DevAssetsOnlyOnLocalChain(uint256 chainId);
    /// @notice The config asks for a Safe to be created for `role` and names that role's holders as well.
    error ConflictingSafeRole(string role);
    /// @notice After deployment, `account` still holds `power`.
    error DeployerRetainsPower(address account, string power);

    /// @notice The result of a deployment: the protocol, its asset and any dev collections.
    struct Deployed {
        StrataDeployment d;
        address asset;
        address[] collections;
        address deployer;
        address delegateRegistry;
        /// @dev Zero unless the config asks for Safes (local chain).
        SafeInfra safe;
        address governanceSafe;
        address guardianSafe;
    }

    /// @notice Entry point for `forge script`: NETWORK (default `local`) selects `config/<NETWORK>.json`;
    ///         DEPLOYMENT (default NETWORK) names the output `deployments/<DEPLOYMENT>.json`.
    function run() external returns (Deployed memory out) {
        string memory network = vm.envOr("NETWORK", string("local"));
        string memory outName = vm.envOr("DEPLOYMENT", network);
        vm.startBroadcast();
        (, address broadcaster,) = vm.readCallers();
        out = _deploy(network, broadcaster);
        vm.stopBroadcast();
        _finish(outName, out);
    }

    /// @notice The same routine with an explicit broadcaster (tests), writing `deployments/<outName>.json`.
    function deployAs(string memory network, string memory outName, address broadcaster)
        external
        returns (Deployed memory out)
    {
        vm.startBroadcast(broadcaster);
        out = _deploy(network, broadcaster);
        vm.stopBroadcast();
        _finish(outName, out);
    }

    /// @notice Reads `config/<network>.json` into a `StrataConfig` (asset may be zero: see `devCollections`), with the
    ///         dev-only requests (number of dev collections, whether to deploy a dev delegate registry).
    function readConfig(string memory network)
        public
        view
        returns (StrataConfig memory cfg, uint256 devCollections, bool devDelegateRegistry)
    {
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/config/", network, ".json"));
        cfg.asset = vm.parseJsonAddress(json, ".asset");
        cfg.timelockDelay = vm.parseJsonUint(json, ".timelockDelay");
        cfg.proposers = vm.parseJsonAddressArray(json, ".proposers");
        cfg.executors = vm.parseJsonAddressArray(json, ".executors");
        cfg.guardian = vm.parseJsonAddress(json, ".guardian");
        cfg.treasury = vm.parseJsonAddress(json, ".treasury");
        cfg.delegateRegistry = vm.parseJsonAddress(json, ".delegateRegistry");
        devDelegateRegistry = vm.parseJsonBool(json, ".devDelegateRegistry");
        cfg.seniorRate = vm.parseJsonUint(json, ".seniorRate");
        cfg.minJuniorRatioBps = vm.parseJsonUint(json, ".minJuniorRatioBps");
        cfg.originationFeeBps = vm.parseJsonUint(json, ".originationFeeBps");
        cfg.protocolFeeBps = vm.parseJsonUint(json, ".protocolFeeBps");
        cfg.gracePeriod = vm.parseJsonUint(json, ".gracePeriod");
        cfg.juniorNoticePeriod = vm.parseJsonUint(json, ".juniorNoticePeriod");
        cfg.queueHoldThresholdBps = vm.parseJsonUint(json, ".queueHoldThresholdBps");
        cfg.queueCooldown = vm.parseJsonUint(json, ".queueCooldown");
        cfg.auction = AuctionParams({
            startMultiplierBps: uint32(vm.parseJsonUint(json, ".auction.startMultiplierBps")),
            endMultiplierBps: uint32(vm.parseJsonUint(json, ".auction.endMultiplierBps")),
            auctionDuration: uint32(vm.parseJsonUint(json, ".auction.auctionDuration")),
            recoveryTimeout: uint32(vm.parseJsonUint(json, ".auction.recoveryTimeout"))
        });
        devCollections = vm.parseJsonUint(json, ".devCollections");
    }

    /// @notice Reverts with `DeployerRetainsPower` if `account` holds any right over deployment `d`.
    function assertPowerless(StrataDeployment memory d, address account) public view {
        Governed[6] memory governed = [
            Governed(address(d.oracle)),
            Governed(address(d.registry)),
            Governed(address(d.pool)),
            Governed(address(d.senior)),
            Governed(address(d.junior)),
            Governed(address(d.liquidator))
        ];
        for (uint256 i; i < governed.length; ++i) {
            if (governed[i].governance() == account) revert DeployerRetainsPower(account, "governance");
            if (governed[i].pendingGovernance() == account) revert DeployerRetainsPower(account, "pending governance");
            if (governed[i].isGuardian(account)) revert DeployerRetainsPower(account, "guardian");
        }
        if (d.oracle.isReporter(account)) revert DeployerRetainsPower(account, "reporter");
        TimelockController t = d.timelock;
        bytes32[4] memory roles = [t.DEFAULT_ADMIN_ROLE(), t.PROPOSER_ROLE(), t.EXECUTOR_ROLE(), t.CANCELLER_ROLE()];
        for (uint256 i; i < roles.length; ++i) {
            if (t.hasRole(roles[i], account)) revert DeployerRetainsPower(account, "timelock role");
        }
    }

    function _deploy(string memory network, address broadcaster) internal returns (Deployed memory out) {
        (StrataConfig memory cfg, uint256 devCollections, bool devDelegateRegistry) = readConfig(network);
        if ((cfg.asset == address(0) || devCollections > 0 || devDelegateRegistry) && block.chainid != LOCAL_CHAIN_ID) {
            revert DevAssetsOnlyOnLocalChain(block.chainid);
        }
        if (cfg.asset == address(0)) cfg.asset = address(new DevStablecoin());
        out.collections = new address[](devCollections);
        for (uint256 i; i < devCollections; ++i) {
            string memory n = vm.toString(i + 1);
            out.collections[i] =
                address(new DevCollection(string.concat("Dev Collection ", n), string.concat("DEV", n)));
        }
        // After the dev asset and collections, whose addresses the committed example proposal names.
        if (devDelegateRegistry) {
            if (cfg.delegateRegistry != address(0)) revert ConflictingDelegateRegistry(cfg.delegateRegistry);
            cfg.delegateRegistry = address(new DevDelegateRegistry());
        }
        // After the dev contracts too (their addresses stay those the raw test proposals name).
        (out.governanceSafe, out.guardianSafe, out.safe) = _deploySafes(network, cfg);
        out.d = _deployStrata(cfg, broadcaster);
        out.asset = cfg.asset;
        out.deployer = broadcaster;
        out.delegateRegistry = cfg.delegateRegistry;
    }

    /// @notice Reads `governanceSafe` / `guardianSafe` ({ owners, threshold }) from `config/<network>.json`; absent
    ///         keys give an empty config (no Safe).
    function readSafeConfigs(string memory network)
        public
        view
        returns (SafeConfig memory governance, SafeConfig memory guardian)
    {
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/config/", network, ".json"));
        governance = _safeConfig(json, ".governanceSafe");
        guardian = _safeConfig(json, ".guardianSafe");
    }

    function _safeConfig(string memory json, string memory key) internal view returns (SafeConfig memory c) {
        if (!vm.keyExistsJson(json, key)) return c;
        c.owners = vm.parseJsonAddressArray(json, string.concat(key, ".owners"));
        c.threshold = vm.parseJsonUint(json, string.concat(key, ".threshold"));
    }

    /// @dev Deploys the Safe contracts and the configured Safes, and gives them their roles in `cfg`.
    function _deploySafes(string memory network, StrataConfig memory cfg)
        internal
        returns (address governanceSafe, address guardianSafe, SafeInfra memory infra)
    {
        (SafeConfig memory gov, SafeConfig memory guard) = readSafeConfigs(network);
        if (gov.owners.length == 0 && guard.owners.length == 0) return (address(0), address(0), infra);
        if (block.chainid != LOCAL_CHAIN_ID) revert DevAssetsOnlyOnLocalChain(block.chainid);
        infra = _deploySafeInfra();
        if (gov.owners.length > 0) {
            if (cfg.proposers.length > 0 || cfg.executors.length > 0) revert ConflictingSafeRole("proposer/executor");
            governanceSafe = _createSafe(infra, "governanceSafe", gov, 0);
            cfg.proposers = new address[](1);
            cfg.proposers[0] = governanceSafe;
            cfg.executors = cfg.proposers;
        }
        if (guard.owners.length > 0) {
            if (cfg.guardian != address(0)) revert ConflictingSafeRole("guardian");
            guardianSafe = _createSafe(infra, "guardianSafe", guard, 1);
            cfg.guardian = guardianSafe;
        }
    }

    function _finish(string memory outName, Deployed memory out) internal {
        assertPowerless(out.d, out.deployer);
        address[2] memory safes = [out.governanceSafe, out.guardianSafe];
        for (uint256 i; i < safes.length; ++i) {
            if (safes[i] != address(0) && ISafeSetup(safes[i]).isOwner(out.deployer)) {
                revert DeployerRetainsPower(out.deployer, "Safe owner");
            }
        }
        vm.createDir(string.concat(vm.projectRoot(), "/deployments"), true);
        string memory path = string.concat(vm.projectRoot(), "/deployments/", outName, ".json");
        vm.writeJson(_toJson(out), path);
        console.log("Strata deployed; addresses written to", path);
        console.log("  timelock  ", address(out.d.timelock));
        console.log("  pool      ", address(out.d.pool));
        console.log("  senior    ", address(out.d.senior));
        console.log("  junior    ", address(out.d.junior));
        console.log("  registry  ", address(out.d.registry));
        console.log("  oracle    ", address(out.d.oracle));
        console.log("  liquidator", address(out.d.liquidator));
        console.log("  lens      ", address(out.d.lens));
        console.log("  asset     ", out.asset);
        console.log("  delegates ", out.delegateRegistry);
        if (out.governanceSafe != address(0)) console.log("  gov Safe  ", out.governanceSafe);
        if (out.guardianSafe != address(0)) console.log("  guard Safe", out.guardianSafe);
    }

    function _toJson(Deployed memory out) internal returns (string memory) {
        StrataDeployment memory d = out.d;
        string memory impl = "implementations";
        vm.serializeAddress(impl, "oracle", _implementation(address(d.oracle)));
        vm.serializeAddress(impl, "registry", _implementation(address(d.registry)));
        vm.serializeAddress(impl, "pool", _implementation(address(d.pool)));
        vm.serializeAddress(impl, "vault", _implementation(address(d.senior)));
        impl = vm.serializeAddress(impl, "liquidator", _implementation(address(d.liquidator)));

        string memory o = "deployment";
        vm.serializeUint(o, "chainId", block.chainid);
        vm.serializeUint(o, "timelockDelay", d.timelock.getMinDelay());
        vm.serializeAddress(o, "deployer", out.deployer);
        vm.serializeAddress(o, "asset", out.asset);
        vm.serializeAddress(o, "timelock", address(d.timelock));
        vm.serializeAddress(o, "oracle", address(d.oracle));
        vm.serializeAddress(o, "registry", address(d.registry));
        vm.serializeAddress(o, "pool", address(d.pool));
        vm.serializeAddress(o, "seniorVault", address(d.senior));
        vm.serializeAddress(o, "juniorVault", address(d.junior));
        vm.serializeAddress(o, "liquidator", address(d.liquidator));
        vm.serializeAddress(o, "lens", address(d.lens));
        vm.serializeAddress(o, "delegateRegistry", out.delegateRegistry);
        vm.serializeAddress(o, "collections", out.collections);
        if (out.governanceSafe != address(0) || out.guardianSafe != address(0)) {
            string memory sf = "safe";
            vm.serializeString(sf, "version", "1.4.1");
            vm.serializeAddress(sf, "singleton", out.safe.singleton);
            vm.serializeAddress(sf, "proxyFactory", out.safe.proxyFactory);
            vm.serializeAddress(sf, "fallbackHandler", out.safe.fallbackHandler);
            sf = vm.serializeAddress(sf, "multiSendCallOnly", out.safe.multiSendCallOnly);
            vm.serializeString(o, "safe", sf);
            vm.serializeAddress(o, "governanceSafe", out.governanceSafe);
            vm.serializeAddress(o, "guardianSafe", out.guardianSafe);
        }
        return vm.serializeString(o, "implementations", impl);
    }

    function _implementation(address proxy) internal view returns (address) {
        return address(uint160(uint256(vm.load(proxy, ERC1967Utils.IMPLEMENTATION_SLOT))));
    }
}
