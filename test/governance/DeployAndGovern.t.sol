// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {Test} from "forge-std/Test.sol";

import {Deploy} from "../../script/Deploy.s.sol";
import {Upgrade} from "../../script/Upgrade.s.sol";
import {DevCollection} from "../../script/dev/DevCollection.sol";
import {DevStablecoin} from "../../script/dev/DevStablecoin.sol";
import {Execute} from "../../script/governance/Execute.s.sol";
import {Propose} from "../../script/governance/Propose.s.sol";
import {TimelockBatch} from "../../script/governance/TimelockBatch.sol";
import {StrataDeployment} from "../../script/lib/StrataDeployer.sol";
import {Governed} from "../../src/governance/Governed.sol";
import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {Loan, LoanStatus, RarityProof, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {PoolStorageLayout} from "../../src/pool/PoolStorageLayout.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataPoolV2} from "../hardhat/fixtures/StrataPoolV2.sol";
import {WiringOf} from "../utils/WiringOf.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

/// @notice The deployment and governance scripts, run end to end: `Deploy` with config/local.json as anvil
///         account #0 (so the addresses equal a fresh anvil's and the committed example proposal applies), then
///         the example proposal and an upgrade of the pool through `Propose`/`Upgrade` and `Execute`.
interface ISafeView {
    function getOwners() external view returns (address[] memory);
    function getThreshold() external view returns (uint256);
    function isOwner(address owner) external view returns (bool);
    function VERSION() external view returns (string memory);
}

contract DeployAndGovernTest is Test {
    string internal constant SAFE_ARTIFACT =
        "node_modules/@safe-global/safe-contracts/build/artifacts/contracts/Safe.sol/Safe.json";
    address internal constant ANVIL0 = 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266; // deployer
    /// @dev The 2-of-3 governance Safe (anvil #1, #2, #3) config/local.json creates: the timelock's proposer, canceller
    ///      and executor. Its address is a fresh anvil's (a real Safe proxy, created through the real factory). The
    ///      scripts run here as the Safe (`proposeAs(.., MULTISIG)`): what a Safe transaction to the timelock does;
    ///      the signing itself is tested through the real Safe in ts-sdk/test/safe.test.ts.
    address internal constant MULTISIG = 0x64D1Acf76b6BFF5903071B0E2AD21175AfbB3062;
    /// @dev The 1-of-2 guardian Safe (anvil #2, #3).
    address internal constant GUARDIAN = 0xEBD442cC2e3303330F4D7e69A975c32C91389544;
    address internal constant REPORTER = 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65; // appointed by the proposal
    string internal constant EXAMPLE = "proposals/test/raw-local-list-collections.json";
    uint256 internal constant UNIT = 1e6;

    Deploy internal deployScript;
    Propose internal proposeScript;
    Execute internal executeScript;
    Upgrade internal upgradeScript;
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        vm.warp(1_700_000_000);
        // A real `forge script --broadcast` first deploys the pool's linked libraries (`LoanLogic`, `PoolAdmin`) from
        // the deployer, at nonces 0 and 1; a forge test links them elsewhere. Start at nonce 2 so addresses match a
        // fresh anvil deployment (the ones `proposals/test/raw-local-list-collections.json` targets).
        vm.setNonce(ANVIL0, 2);
        deployScript = new Deploy();
        proposeScript = new Propose();
        executeScript = new Execute();
        upgradeScript = new Upgrade();
    }

    function _deploy(string memory name) internal returns (Deploy.Deployed memory r) {
        r = deployScript.deployAs("local", name, ANVIL0);
    }

    // ------------------------------------------------------------------ Deploy

    function test_deploy_endToEnd_wiringAndOutputFile() public {
        Deploy.Deployed memory r = _deploy("test-deploy");
        StrataDeployment memory d = r.d;
        // the output file is what a user (and Propose/Execute) reads back
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/deployments/test-deploy.json"));
        assertEq(vm.parseJsonAddress(json, ".pool"), address(d.pool));
        assertEq(vm.parseJsonAddress(json, ".timelock"), address(d.timelock));
        assertEq(vm.parseJsonAddress(json, ".seniorVault"), address(d.senior));
        assertEq(vm.parseJsonAddress(json, ".juniorVault"), address(d.junior));
        assertEq(vm.parseJsonAddress(json, ".registry"), address(d.registry));
        assertEq(vm.parseJsonAddress(json, ".oracle"), address(d.oracle));
        assertEq(vm.parseJsonAddress(json, ".liquidator"), address(d.liquidator));
        assertEq(vm.parseJsonAddress(json, ".asset"), r.asset);
        assertEq(vm.parseJsonAddressArray(json, ".collections").length, 2);
        assertEq(
            vm.parseJsonAddress(json, ".implementations.pool"),
            address(uint160(uint256(vm.load(address(d.pool), ERC1967Utils.IMPLEMENTATION_SLOT))))
        );
        // same addresses as a fresh anvil: libraries at nonces 0 and 1, dev delegate registry at nonce 5, the Safe
        // contracts and the two Safes at nonces 6-11 (the committed example proposal relies on them)
        assertEq(address(d.pool), 0x59b670e9fA9D0A427751Af201D676719a970857b);
        assertEq(address(d.timelock), 0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0);
        assertEq(r.delegateRegistry, 0x5FC8d32690cc91D4c39d9d3abcBD16989F875707);
        assertEq(address(d.pool.delegateRegistry()), r.delegateRegistry);
        assertEq(vm.parseJsonAddress(json, ".delegateRegistry"), r.delegateRegistry);

        // wiring
        assertEq(d.pool.asset(), r.asset);
        assertEq(d.pool.vault(Tranche.Senior), address(d.senior));
        assertEq(d.pool.vault(Tranche.Junior), address(d.junior));
        assertEq(d.pool.liquidator(), address(d.liquidator));
        assertEq(d.pool.registry(), address(d.registry));
        assertEq(d.senior.asset(), r.asset);
        assertEq(address(d.junior.pool()), address(d.pool));
        assertEq(address(d.liquidator.pool()), address(d.pool));
        assertEq(DevStablecoin(r.asset).decimals(), 6);
        (uint256 seniorRate, uint256 ratio,, uint256 protocolFee, uint256 grace, address treasury) = d.pool.parameters();
        assertEq(abi.encode(seniorRate, ratio, protocolFee, grace), abi.encode(0.05e18, 2000, 1000, 3 days));
        assertEq(treasury, 0x90F79bf6EB2c4f870365E785982E1f101E93b906);

        // the Safes: real Safe 1.4.1 proxies with the configured owners and thresholds, in the output file
        assertEq(r.governanceSafe, MULTISIG);
        assertEq(r.guardianSafe, GUARDIAN);
        assertEq(vm.parseJsonAddress(json, ".governanceSafe"), MULTISIG);
        assertEq(vm.parseJsonAddress(json, ".guardianSafe"), GUARDIAN);
        assertEq(vm.parseJsonAddress(json, ".safe.multiSendCallOnly"), r.safe.multiSendCallOnly);
        assertEq(ISafeView(MULTISIG).getThreshold(), 2);
        assertEq(ISafeView(MULTISIG).getOwners().length, 3);
        assertEq(ISafeView(MULTISIG).VERSION(), "1.4.1");
        assertEq(ISafeView(GUARDIAN).getThreshold(), 1);
        assertEq(ISafeView(GUARDIAN).getOwners().length, 2);
        assertFalse(ISafeView(MULTISIG).isOwner(ANVIL0));
        assertEq(r.safe.singleton.codehash, keccak256(vm.getDeployedCode(SAFE_ARTIFACT)), "the npm package's Safe code");

        // governance: the timelock everywhere, the guardian Safe can pause, the governance Safe proposes
        TimelockController t = d.timelock;
        assertEq(t.getMinDelay(), 3600);
        assertTrue(t.hasRole(t.PROPOSER_ROLE(), MULTISIG));
        assertTrue(t.hasRole(t.EXECUTOR_ROLE(), MULTISIG));
        assertTrue(t.hasRole(t.CANCELLER_ROLE(), MULTISIG));
        assertTrue(t.hasRole(t.DEFAULT_ADMIN_ROLE(), address(t)), "timelock administers itself");
        address[6] memory governed = [
            address(d.oracle),
            address(d.registry),
            address(d.pool),
            address(d.senior),
            address(d.junior),
            address(d.liquidator)
        ];
        for (uint256 i; i < governed.length; ++i) {
            assertEq(Governed(governed[i]).governance(), address(t));
            assertTrue(Governed(governed[i]).isGuardian(GUARDIAN));
        }
    }

    function test_deploy_deployerHoldsNoPower() public {
        Deploy.Deployed memory r = _deploy("test-powerless");
        StrataDeployment memory d = r.d;
        assertEq(r.deployer, ANVIL0);
        TimelockController t = d.timelock;
        bytes32[4] memory roles = [t.DEFAULT_ADMIN_ROLE(), t.PROPOSER_ROLE(), t.EXECUTOR_ROLE(), t.CANCELLER_ROLE()];
        for (uint256 i; i < roles.length; ++i) {
            assertFalse(t.hasRole(roles[i], ANVIL0), "timelock role");
        }
        address[6] memory governed = [
            address(d.oracle),
            address(d.registry),
            address(d.pool),
            address(d.senior),
            address(d.junior),
            address(d.liquidator)
        ];
        for (uint256 i; i < governed.length; ++i) {
            assertTrue(Governed(governed[i]).governance() != ANVIL0, "governance");
            assertTrue(Governed(governed[i]).pendingGovernance() != ANVIL0, "pending governance");
            assertFalse(Governed(governed[i]).isGuardian(ANVIL0), "guardian");
        }
        assertFalse(d.oracle.isReporter(ANVIL0), "reporter");
        // and in practice: every power the deployer might have kept is refused
        vm.startPrank(ANVIL0);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, ANVIL0));
        d.pool.setSeniorRate(0);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGuardian.selector, ANVIL0));
        d.pool.setBorrowsPaused(true);
        vm.expectRevert();
        d.oracle.pushPrice(address(1), 1);
        bytes32 proposer = t.PROPOSER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ANVIL0, proposer)
        );
        t.schedule(address(d.pool), 0, "", bytes32(0), bytes32(0), 3600);
        vm.stopPrank();
        // implementations cannot be initialized by anyone (initializers disabled in their constructors)
        address poolImpl = address(uint160(uint256(vm.load(address(d.pool), ERC1967Utils.IMPLEMENTATION_SLOT))));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        StrataPool(poolImpl).initialize(_dummyInit());
    }

    /// @dev The script's own check is not vacuous: it flags an account that holds power.
    function test_deploy_powerCheckFlagsHolders() public {
        Deploy.Deployed memory r = _deploy("test-powercheck");
        vm.expectRevert(abi.encodeWithSelector(Deploy.DeployerRetainsPower.selector, MULTISIG, "timelock role"));
        deployScript.assertPowerless(r.d, MULTISIG);
        vm.expectRevert(abi.encodeWithSelector(Deploy.DeployerRetainsPower.selector, GUARDIAN, "guardian"));
        deployScript.assertPowerless(r.d, GUARDIAN);
        vm.expectRevert(
            abi.encodeWithSelector(Deploy.DeployerRetainsPower.selector, address(r.d.timelock), "governance")
        );
        deployScript.assertPowerless(r.d, address(r.d.timelock));
    }

    function test_deploy_devAssetsRefusedOffLocalChain() public {
        vm.chainId(1);
        vm.expectRevert(abi.encodeWithSelector(Deploy.DevAssetsOnlyOnLocalChain.selector, 1));
        deployScript.deployAs("local", "test-mainnet", ANVIL0);
    }

    // ------------------------------------------------------------------ Propose / Execute (timelock)

    function test_exampleProposal_scheduleWaitExecute() public {
        Deploy.Deployed memory r = _deploy("test-proposal");
        StrataDeployment memory d = r.d;

        // a stranger's broadcast schedules nothing (prints the calldata for the multisig instead)
        (, bool scheduled) = proposeScript.proposeAs(EXAMPLE, "test-proposal", stranger);
        assertFalse(scheduled);
        vm.expectRevert();
        executeScript.executeAs(EXAMPLE, "test-proposal", MULTISIG);

        (TimelockBatch.Batch memory b, bool ok) = proposeScript.proposeAs(EXAMPLE, "test-proposal", MULTISIG);
        assertTrue(ok);
        assertEq(b.targets.length, 6);
        assertTrue(d.timelock.isOperationPending(b.id));

        // the delay is enforced: by the script, and by the timelock itself
        vm.warp(block.timestamp + 3600 - 1);
        vm.expectRevert(abi.encodeWithSelector(Execute.NotReady.selector, b.id, block.timestamp + 1, block.timestamp));
        executeScript.executeAs(EXAMPLE, "test-proposal", MULTISIG);
        vm.prank(MULTISIG);
        vm.expectRevert(
            abi.encodeWithSelector(
                TimelockController.TimelockUnexpectedOperationState.selector,
                b.id,
                bytes32(1 << uint8(TimelockController.OperationState.Ready))
            )
        );
        d.timelock.executeBatch(b.targets, b.values, b.payloads, b.predecessor, b.salt);

        vm.warp(block.timestamp + 1);
        (, bool executed) = executeScript.executeAs(EXAMPLE, "test-proposal", MULTISIG);
        assertTrue(executed);
        assertTrue(d.timelock.isOperationDone(b.id));
        address[] memory cols = r.collections;
        (, bool listed0,) = d.registry.collection(cols[0]);
        (, bool listed1,) = d.registry.collection(cols[1]);
        assertTrue(listed0 && listed1, "collections listed");
        assertTrue(d.oracle.isReporter(REPORTER));
        (uint256 seniorRate,,,,,) = d.pool.parameters();
        assertEq(seniorRate, 0.06e18);

        vm.expectRevert(abi.encodeWithSelector(Execute.AlreadyExecuted.selector, b.id));
        executeScript.executeAs(EXAMPLE, "test-proposal", MULTISIG);
    }

    function test_timelock_rejectsShortDelayAndNonProposers() public {
        StrataDeployment memory d = _deploy("test-timelock").d;
        bytes memory call = abi.encodeCall(StrataPool.setSeniorRate, (0.07e18));
        vm.prank(MULTISIG);
        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockInsufficientDelay.selector, 3599, 3600));
        d.timelock.schedule(address(d.pool), 0, call, bytes32(0), bytes32(0), 3599);
        bytes32 proposer = d.timelock.PROPOSER_ROLE();
        vm.prank(GUARDIAN);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, GUARDIAN, proposer)
        );
        d.timelock.schedule(address(d.pool), 0, call, bytes32(0), bytes32(0), 3600);
        // the minimum delay itself can only change through the timelock
        vm.prank(MULTISIG);
        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, MULTISIG));
        d.timelock.updateDelay(0);
    }

    function test_proposal_selectorMismatchRejected() public {
        _deploy("test-mismatch");
        vm.expectPartialRevert(TimelockBatch.SelectorMismatch.selector);
        proposeScript.loadBatch("proposals/test/mislabelled.json", "test-mismatch");
    }

    // ------------------------------------------------------------------ upgrade of the pool through the timelock

    struct PoolState {
        uint256 nav;
        uint256 seniorValue;
        uint256 juniorValue;
        uint256 seniorClaim;
        uint256 cash;
        uint256 availableCash;
        uint256 totalPrincipal;
        uint256 protocolFees;
        uint256 nextLoanId;
        uint256 poolBalance;
        uint256 seniorSupply;
        uint256 juniorSupply;
        uint256 seniorPrice;
        uint256 juniorPrice;
        uint256 exposure0;
        uint256 exposure1;
        bytes parameters;
        bytes paused;
        bytes loans;
        bytes debts;
        bytes holders;
    }

    function _state(Deploy.Deployed memory r, address[] memory lenders) internal view returns (PoolState memory s) {
        StrataDeployment memory d = r.d;
        StrataPool p = d.pool;
        s.nav = p.nav();
        s.seniorValue = p.trancheValue(Tranche.Senior);
        s.juniorValue = p.trancheValue(Tranche.Junior);
        s.seniorClaim = p.seniorClaim();
        s.cash = p.cash();
        s.availableCash = p.availableCash();
        s.totalPrincipal = p.totalPrincipal();
        s.protocolFees = p.protocolFees();
        s.nextLoanId = p.nextLoanId();
        s.poolBalance = DevStablecoin(r.asset).balanceOf(address(p));
        s.seniorSupply = d.senior.totalSupply();
        s.juniorSupply = d.junior.totalSupply();
        s.seniorPrice = d.senior.convertToAssets(1e18);
        s.juniorPrice = d.junior.convertToAssets(1e18);
        s.exposure0 = p.exposure(r.collections[0]);
        s.exposure1 = p.exposure(r.collections[1]);
        {
            (uint256 a, uint256 b, uint256 c, uint256 e, uint256 f, address g) = p.parameters();
            s.parameters = abi.encode(a, b, c, e, f, g);
            (bool x, bool y) = p.paused();
            s.paused = abi.encode(x, y);
        }
        for (uint256 id = 1; id < s.nextLoanId; ++id) {
            Loan memory l = p.loan(id);
            s.loans = bytes.concat(s.loans, abi.encode(l, DevCollection(l.collection).ownerOf(l.tokenId)));
            s.debts = l.status == LoanStatus.Active ? bytes.concat(s.debts, abi.encode(d.lens.debt(id))) : s.debts;
        }
        for (uint256 i; i < lenders.length; ++i) {
            s.holders = bytes.concat(
                s.holders,
                abi.encode(
                    d.senior.balanceOf(lenders[i]),
                    d.junior.balanceOf(lenders[i]),
                    d.senior.maxWithdraw(lenders[i]),
                    d.junior.maxWithdraw(lenders[i]),
                    d.liquidator.claimable(lenders[i])
                )
            );
        }
    }

    function _assertSame(PoolState memory a, PoolState memory b) internal pure {
        assertEq(a.nav, b.nav, "nav");
        assertEq(a.seniorValue, b.seniorValue, "senior value");
        assertEq(a.juniorValue, b.juniorValue, "junior value");
        assertEq(a.seniorClaim, b.seniorClaim, "senior claim");
        assertEq(a.cash, b.cash, "cash");
        assertEq(a.availableCash, b.availableCash, "available cash");
        assertEq(a.totalPrincipal, b.totalPrincipal, "principal");
        assertEq(a.protocolFees, b.protocolFees, "protocol fees");
        assertEq(a.nextLoanId, b.nextLoanId, "next loan id");
        assertEq(a.poolBalance, b.poolBalance, "pool balance");
        assertEq(a.seniorSupply, b.seniorSupply, "senior supply");
        assertEq(a.juniorSupply, b.juniorSupply, "junior supply");
        assertEq(a.seniorPrice, b.seniorPrice, "senior share price");
        assertEq(a.juniorPrice, b.juniorPrice, "junior share price");
        assertEq(a.exposure0, b.exposure0, "exposure 0");
        assertEq(a.exposure1, b.exposure1, "exposure 1");
        assertEq(a.parameters, b.parameters, "parameters");
        assertEq(a.paused, b.paused, "paused");
        assertEq(a.loans, b.loans, "loans");
        assertEq(a.debts, b.debts, "debts");
        assertEq(a.holders, b.holders, "lender balances");
    }

    /// @dev Deployment + example proposal + prices + lenders + four loans (one partially repaid, one repaid).
    function _livePool(string memory name) internal returns (Deploy.Deployed memory r, address[] memory lenders) {
        r = _deploy(name);
        proposeScript.proposeAs(EXAMPLE, name, MULTISIG);
        vm.warp(block.timestamp + 3600);
        executeScript.executeAs(EXAMPLE, name, MULTISIG);
        StrataDeployment memory d = r.d;
        vm.startPrank(REPORTER);
        d.oracle.pushPrice(r.collections[0], 100_000 * UNIT);
        d.oracle.pushPrice(r.collections[1], 40_000 * UNIT);
        vm.stopPrank();

        lenders = new address[](4);
        lenders[0] = makeAddr("junior lender");
        lenders[1] = makeAddr("senior lender");
        lenders[2] = makeAddr("borrower 1");
        lenders[3] = makeAddr("borrower 2");
        _lend(r, d.junior, lenders[0], 300_000 * UNIT);
        _lend(r, d.senior, lenders[1], 700_000 * UNIT);

        _borrow(r, lenders[2], 0, 1, 40_000 * UNIT, 30 days);
        _borrow(r, lenders[2], 0, 2, 30_000 * UNIT, 60 days);
        _borrow(r, lenders[3], 1, 1, 12_000 * UNIT, 20 days);
        _borrow(r, lenders[3], 1, 2, 10_000 * UNIT, 20 days);
        vm.warp(block.timestamp + 10 days);
        _repay(r, lenders[2], 2, d.lens.debt(2) / 2);
        _repay(r, lenders[3], 4, d.lens.debt(4));
        vm.warp(block.timestamp + 3 days);
    }

    function _lend(Deploy.Deployed memory r, TrancheVault v, address who, uint256 amount) internal {
        DevStablecoin(r.asset).mint(who, amount);
        vm.startPrank(who);
        DevStablecoin(r.asset).approve(address(v), amount);
        v.deposit(amount, who);
        vm.stopPrank();
    }

    function _borrow(Deploy.Deployed memory r, address who, uint256 c, uint256 id, uint256 principal, uint256 dur)
        internal
    {
        DevCollection col = DevCollection(r.collections[c]);
        col.mint(who, id);
        vm.startPrank(who);
        col.approve(address(r.d.pool), id);
        r.d.pool.borrow(address(col), id, principal, dur, type(uint256).max, RarityProof(0, new bytes32[](0)));
        vm.stopPrank();
    }

    function _repay(Deploy.Deployed memory r, address who, uint256 loanId, uint256 amount) internal {
        DevStablecoin(r.asset).mint(who, amount);
        vm.startPrank(who);
        DevStablecoin(r.asset).approve(address(r.d.pool), amount);
        r.d.pool.repay(loanId, amount);
        vm.stopPrank();
    }

    function test_poolUpgrade_throughTimelock_preservesEveryBalanceLoanAndTrancheValue() public {
        (Deploy.Deployed memory r, address[] memory lenders) = _livePool("test-upgrade");
        StrataDeployment memory d = r.d;
        address oldImpl = address(uint160(uint256(vm.load(address(d.pool), ERC1967Utils.IMPLEMENTATION_SLOT))));

        (TimelockBatch.Batch memory b, address[] memory newImpls) =
            upgradeScript.upgradeAs("StrataPool", "StrataPoolV2.sol:StrataPoolV2", "test-upgrade", "", MULTISIG);
        address newImpl = newImpls[0];
        assertTrue(d.timelock.isOperationPending(b.id));
        string memory proposal = "deployments/test-upgrade.upgrade-StrataPool.json";
        vm.expectPartialRevert(Execute.NotReady.selector);
        executeScript.executeAs(proposal, "test-upgrade", MULTISIG);

        vm.warp(block.timestamp + 3600);
        PoolState memory before = _state(r, lenders);
        assertGt(before.totalPrincipal, 0);
        assertGt(before.seniorPrice, 0);
        executeScript.executeAs(proposal, "test-upgrade", MULTISIG);

        address impl = address(uint160(uint256(vm.load(address(d.pool), ERC1967Utils.IMPLEMENTATION_SLOT))));
        assertEq(impl, newImpl);
        assertTrue(impl != oldImpl);
        assertEq(StrataPoolV2(address(d.pool)).version(), "2.0.0");
        assertEq(address(d.pool.delegateRegistry()), r.delegateRegistry, "the upgrade keeps the delegate registry");
        assertTrue(r.delegateRegistry != address(0));
        _assertSame(before, _state(r, lenders));
        assertEq(d.pool.governance(), address(d.timelock));
        assertTrue(d.pool.isGuardian(GUARDIAN));

        // the upgraded pool keeps working: full repayment returns the NFT, the books still balance
        vm.warp(block.timestamp + 1 days);
        uint256 owed = d.lens.debt(1);
        uint256 navBefore = d.pool.nav();
        _repay(r, lenders[2], 1, owed);
        assertEq(DevCollection(r.collections[0]).ownerOf(1), lenders[2]);
        assertEq(d.pool.trancheValue(Tranche.Senior) + d.pool.trancheValue(Tranche.Junior), d.pool.nav());
        assertApproxEqAbs(d.pool.nav(), navBefore, 1);
    }

    function test_vaultUpgrade_throughTimelock_upgradesBothVaults() public {
        (Deploy.Deployed memory r, address[] memory lenders) = _livePool("test-vault-upgrade");
        (TimelockBatch.Batch memory b, address[] memory newImpls) =
            upgradeScript.upgradeAs("TrancheVault", "", "test-vault-upgrade", "", MULTISIG);
        assertEq(b.targets.length, 2);
        assertEq(newImpls.length, 2, "one implementation per vault (their tranche is an immutable)");
        vm.warp(block.timestamp + 3600);
        PoolState memory before = _state(r, lenders);
        executeScript.executeAs(
            "deployments/test-vault-upgrade.upgrade-TrancheVault.json", "test-vault-upgrade", MULTISIG
        );
        assertEq(address(uint160(uint256(vm.load(address(r.d.senior), ERC1967Utils.IMPLEMENTATION_SLOT)))), newImpls[0]);
        assertEq(address(uint160(uint256(vm.load(address(r.d.junior), ERC1967Utils.IMPLEMENTATION_SLOT)))), newImpls[1]);
        _assertSame(before, _state(r, lenders));
        assertEq(r.d.senior.name(), "Strata Senior");
        assertEq(uint256(r.d.junior.tranche()), uint256(Tranche.Junior));
    }

    /// @dev `CONTRACT=Release`: the pool, both vaults and the liquidator in one batch, pool first (SPEC §8.6), each with
    ///      its own implementation built for its proxy.
    function test_releaseUpgrade_throughTimelock_upgradesPoolVaultsAndLiquidatorInOneBatch() public {
        (Deploy.Deployed memory r, address[] memory lenders) = _livePool("test-release-upgrade");
        (TimelockBatch.Batch memory b, address[] memory newImpls) =
            upgradeScript.upgradeAs("Release", "", "test-release-upgrade", "", MULTISIG);
        // Five upgrades, then the registry's `syncPool` for each listed collection (issue #30).
        uint256 listed = r.collections.length;
        assertGt(listed, 0, "the deployment lists collections");
        assertEq(b.targets.length, 5 + listed);
        assertEq(b.targets[0], address(r.d.pool), "the pool first");
        assertEq(b.targets[1], address(r.d.registry), "the registry after it");
        for (uint256 i; i < listed; ++i) {
            assertEq(b.targets[5 + i], address(r.d.registry));
            assertEq(b.payloads[5 + i], abi.encodeCall(ICollectionRegistry.syncPool, (r.collections[i])));
        }
        assertEq(newImpls.length, 5);
        vm.warp(block.timestamp + 3600);
        PoolState memory before = _state(r, lenders);
        executeScript.executeAs(
            "deployments/test-release-upgrade.upgrade-Release.json", "test-release-upgrade", MULTISIG
        );
        address[5] memory proxies = [
            address(r.d.pool), address(r.d.registry), address(r.d.senior), address(r.d.junior), address(r.d.liquidator)
        ];
        for (uint256 i; i < 5; ++i) {
            assertEq(address(uint160(uint256(vm.load(proxies[i], ERC1967Utils.IMPLEMENTATION_SLOT)))), newImpls[i]);
        }
        _assertSame(before, _state(r, lenders));
        vm.expectRevert(Upgrade.ReleaseTakesNoOverride.selector);
        upgradeScript.upgradeAs("Release", "StrataPool.sol:StrataPool", "test-release-upgrade", "", MULTISIG);
    }

    function test_upgrade_unknownContractRejected() public {
        vm.expectRevert(abi.encodeWithSelector(Upgrade.UnknownContract.selector, "Timelock"));
        upgradeScript.proxyKeys("Timelock");
    }

    function test_upgrade_directCallBypassingTimelockRejected() public {
        StrataDeployment memory d = _deploy("test-bypass").d;
        address v2 = address(new StrataPoolV2(_wiringOf(d.pool)));
        vm.prank(MULTISIG);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, MULTISIG));
        d.pool.upgradeToAndCall(v2, "");
    }

    /// @dev The wiring of a live pool (`WiringOf`).
    function _wiringOf(StrataPool p) internal view returns (PoolStorageLayout.Wiring memory) {
        return WiringOf.read(p);
    }

    function _dummyInit() internal pure returns (PoolStorageLayout.InitParams memory p) {
        p.asset = address(1);
        p.registry = address(1);
        p.governance = address(1);
        p.seniorVault = address(1);
        p.juniorVault = address(1);
        p.liquidator = address(1);
        p.treasury = address(1);
        p.gracePeriod = 1 days;
    }
}
