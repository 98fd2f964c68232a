// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts/proxy/utils/UUPSUpgradeable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {AuctionParams} from "../../src/interfaces/ILiquidator.sol";
import {CollectionParams, IStrataPool, Loan, LoanStatus, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {DutchAuctionLiquidator} from "../../src/liquidation/DutchAuctionLiquidator.sol";
import {CollectionRegistry} from "../../src/pool/CollectionRegistry.sol";
import {PoolStorageLayout} from "../../src/pool/PoolStorageLayout.sol";
import {StrataLens} from "../../src/pool/StrataLens.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {LoanStore} from "../../src/pool/logic/LoanStore.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

/// @notice Issue #30's upgrade proof: a pool, its vaults and its liquidator running the frozen 0.3 implementations
///         (bytecode of commit f5595b8, test/upgrade/fixtures/v0.3, linked here to the 0.3 libraries) take deposits,
///         loans (one delegated, one partly repaid, one in liquidation), then are upgraded through their proxies to
///         this release's implementations in one batch. Everything a lender or borrower owns reads the same after the
///         upgrade, and every loan made before it (legacy records, `LoanStore.LEGACY`) repays, sells and revokes its
///         delegation under the new code; new loans continue the id sequence in the two-slot format.
contract UpgradeFromV03Test is StrataTestBase {
    string internal constant FIXTURES = "test/upgrade/fixtures/v0.3/";
    uint256 internal constant PRINCIPAL = 40_000 * USDC;

    address internal hot = makeAddr("hot");
    address internal buyer = makeAddr("buyer");
    address internal lender = makeAddr("lender");
    uint256[4] internal ids;
    uint256[4] internal tokens;

    function setUp() public override {
        super.setUp(); // this release's oracle, registry, asset, collections and prices; its pool is left unused
        _deployV03();
        lens = StrataLens(deployCode("StrataLens.sol:StrataLens", abi.encode(IStrataPool(address(pool)))));
    }

    // ------------------------------------------------------------------ the 0.3 deployment

    function _fixture(string memory name) internal view returns (bytes memory code, string memory json) {
        json = vm.readFile(string.concat(vm.projectRoot(), "/", FIXTURES, name, ".json"));
        code = vm.parseJsonBytes(json, ".bytecode");
    }

    function _create(bytes memory code) internal returns (address a) {
        assembly {
            a := create(0, add(code, 0x20), mload(code))
        }
        require(a != address(0), "create failed");
    }

    /// @dev Writes `lib` at each offset the fixture lists for it.
    function _link(bytes memory code, string memory json, string memory lib, address at) internal pure {
        uint256[] memory offsets = vm.parseJsonUintArray(json, string.concat(".links.", lib));
        for (uint256 i; i < offsets.length; ++i) {
            uint256 o = offsets[i];
            for (uint256 b; b < 20; ++b) {
                code[o + b] = bytes1(uint8(uint160(at) >> (8 * (19 - b))));
            }
        }
    }

    function _deployV03() internal {
        _registryV03();
        (bytes memory loanLogic,) = _fixture("LoanLogic");
        (bytes memory poolAdmin,) = _fixture("PoolAdmin");
        address oldLoanLogic = _create(loanLogic);
        address oldPoolAdmin = _create(poolAdmin);
        (bytes memory poolCode, string memory poolJson) = _fixture("StrataPool");
        _link(poolCode, poolJson, "LoanLogic", oldLoanLogic);
        _link(poolCode, poolJson, "PoolAdmin", oldPoolAdmin);
        address poolImpl =
            _create(bytes.concat(poolCode, abi.encode(address(delegates), address(usdc), address(registry))));
        (bytes memory vaultCode,) = _fixture("TrancheVault");
        address vaultImpl = _create(vaultCode);
        (bytes memory liqCode,) = _fixture("DutchAuctionLiquidator");
        address liqImpl = _create(liqCode);

        uint256 nonce = vm.getNonce(address(this));
        address seniorAt = vm.computeCreateAddress(address(this), nonce + 1);
        address juniorAt = vm.computeCreateAddress(address(this), nonce + 2);
        address liqAt = vm.computeCreateAddress(address(this), nonce + 3);
        PoolStorageLayout.InitParams memory p = PoolStorageLayout.InitParams({
            asset: address(usdc),
            registry: address(registry),
            governance: gov,
            guardian: guardian,
            seniorVault: seniorAt,
            juniorVault: juniorAt,
            liquidator: liqAt,
            treasury: treasury,
            seniorRate: 0.06e18,
            minJuniorRatioBps: 2000,
            originationFeeBps: 0,
            protocolFeeBps: 1000,
            gracePeriod: 3 days,
            queueHoldThresholdBps: 100,
            queueCooldown: 1 days
        });
        pool = StrataPool(address(new ERC1967Proxy(poolImpl, abi.encodeCall(StrataPool.initialize, (p)))));
        senior = _oldVault(vaultImpl, Tranche.Senior, 0);
        junior = _oldVault(vaultImpl, Tranche.Junior, 1 days);
        AuctionParams memory a = AuctionParams({
            startMultiplierBps: 15_000, endMultiplierBps: 5000, auctionDuration: 3 days, recoveryTimeout: 30 days
        });
        liquidator = DutchAuctionLiquidator(
            address(
                new ERC1967Proxy(
                    liqImpl,
                    abi.encodeCall(
                        DutchAuctionLiquidator.initialize, (IStrataPool(address(pool)), address(usdc), gov, guardian, a)
                    )
                )
            )
        );
        assertEq(address(senior), seniorAt);
        assertEq(address(junior), juniorAt);
        assertEq(address(liquidator), liqAt);
    }

    /// @dev A 0.3 registry (no pool copy to write) listing this release's collections with their parameters; it
    ///      replaces the base's registry for the rest of the test.
    function _registryV03() internal {
        (bytes memory code,) = _fixture("CollectionRegistry");
        CollectionRegistry old = CollectionRegistry(
            address(new ERC1967Proxy(_create(code), abi.encodeCall(CollectionRegistry.initialize, (gov, guardian))))
        );
        address[2] memory listed = [address(apes), address(punks)];
        for (uint256 i; i < 2; ++i) {
            (CollectionParams memory p,,) = registry.collection(listed[i]);
            vm.prank(gov);
            old.configureCollection(listed[i], p);
        }
        registry = old;
    }

    function _oldVault(address impl, Tranche t, uint256 notice) internal returns (TrancheVault) {
        return TrancheVault(
            address(
                new ERC1967Proxy(
                    impl,
                    abi.encodeCall(
                        TrancheVault.initialize,
                        (IStrataPool(address(pool)), t, address(usdc), "S", "S", gov, guardian, notice)
                    )
                )
            )
        );
    }

    // ------------------------------------------------------------------ the upgrade

    function _upgrade() internal {
        address poolImpl = deployCode("StrataPool.sol:StrataPool", abi.encode(_wiringOf(pool)));
        address seniorImpl = deployCode(
            "TrancheVault.sol:TrancheVault", abi.encode(IStrataPool(address(pool)), Tranche.Senior, address(usdc))
        );
        address juniorImpl = deployCode(
            "TrancheVault.sol:TrancheVault", abi.encode(IStrataPool(address(pool)), Tranche.Junior, address(usdc))
        );
        address liqImpl = deployCode(
            "DutchAuctionLiquidator.sol:DutchAuctionLiquidator",
            abi.encode(IStrataPool(address(pool)), usdc_(), registry)
        );
        address registryImpl =
            deployCode("CollectionRegistry.sol:CollectionRegistry", abi.encode(IStrataPool(address(pool))));
        // One batch, as the timelock executes it: the vault↔pool calls changed together, and the registry fills the
        // 0.4 pool's copy of each listed collection's configuration (SPEC §8.6, script/Upgrade.s.sol's `Release`).
        vm.startPrank(gov);
        UUPSUpgradeable(address(pool)).upgradeToAndCall(poolImpl, "");
        UUPSUpgradeable(address(registry)).upgradeToAndCall(registryImpl, "");
        UUPSUpgradeable(address(senior)).upgradeToAndCall(seniorImpl, "");
        UUPSUpgradeable(address(junior)).upgradeToAndCall(juniorImpl, "");
        UUPSUpgradeable(address(liquidator)).upgradeToAndCall(liqImpl, "");
        registry.syncPool(address(apes));
        registry.syncPool(address(punks));
        vm.stopPrank();
    }

    function usdc_() internal view returns (ERC20) {
        return ERC20(address(usdc));
    }

    // ------------------------------------------------------------------ the live book before the upgrade

    function _liveBook() internal {
        _seedLiquidity(800_000 * USDC, 300_000 * USDC);
        (ids[0], tokens[0]) = _borrow(carol, apes, PRINCIPAL, 30 days);
        tokens[1] = _mintNft(apes, dave);
        vm.prank(dave);
        ids[1] = pool.borrow(address(apes), tokens[1], PRINCIPAL, 30 days, type(uint256).max, _noProof(), hot);
        (ids[2], tokens[2]) = _borrow(carol, punks, 15_000 * USDC, 10 days);
        (ids[3], tokens[3]) = _borrow(dave, apes, PRINCIPAL, 30 days);
        vm.warp(block.timestamp + 5 days);
        _fund(dave, 100_000 * USDC);
        vm.prank(dave);
        pool.repay(ids[3], 10_000 * USDC); // partial
        // punks loan overdue past grace: liquidated, auction running at the upgrade
        vm.warp(block.timestamp + 9 days);
        _pushPrice(address(apes), _floorA());
        _pushPrice(address(punks), _floorB());
        vm.prank(keeper);
        liquidator.liquidate(ids[2]);
        vm.warp(block.timestamp + 1 hours);
    }

    struct Books {
        uint256 nav;
        uint256 seniorValue;
        uint256 juniorValue;
        uint256 seniorClaim;
        uint256 cash;
        uint256 principal;
        uint256 nextLoanId;
        uint256 seniorSupply;
        uint256 juniorSupply;
        bytes32 loansHash;
        uint256 auctionPrice;
    }

    function _books() internal view returns (Books memory b) {
        b.nav = pool.nav();
        b.seniorValue = pool.trancheValue(Tranche.Senior);
        b.juniorValue = pool.trancheValue(Tranche.Junior);
        b.seniorClaim = pool.seniorClaim();
        b.cash = pool.cash();
        b.principal = pool.totalPrincipal();
        b.nextLoanId = pool.nextLoanId();
        b.seniorSupply = senior.totalSupply();
        b.juniorSupply = junior.totalSupply();
        Loan[4] memory l;
        for (uint256 i; i < 4; ++i) {
            l[i] = pool.loan(ids[i]);
        }
        b.loansHash = keccak256(abi.encode(l));
        b.auctionPrice = liquidator.currentPrice(ids[2]);
    }

    function test_upgradeFromV03_keepsEveryBook_andTheLegacyLoansWork() public {
        _liveBook();
        Books memory before = _books();
        assertGt(before.principal, 0);
        _upgrade();
        Books memory after_ = _books();
        assertEq(keccak256(abi.encode(after_)), keccak256(abi.encode(before)), "every book reads the same");

        // The records are legacy, and every path reads them.
        bytes32 word1 = vm.load(address(pool), bytes32(uint256(keccak256(abi.encode(ids[0], POOL_BASE + 14))) + 1));
        assertEq(uint256(word1) >> 248, LoanStore.LEGACY, "a 0.3 record");
        _fund(carol, 200_000 * USDC);
        vm.prank(carol);
        pool.repay(ids[0], type(uint256).max);
        assertEq(apes.ownerOf(tokens[0]), carol, "legacy loan repaid: the NFT comes back");
        assertTrue(delegates.checkDelegateForERC721(hot, address(pool), address(apes), tokens[1], ""));
        vm.prank(dave);
        pool.repay(ids[1], type(uint256).max);
        assertEq(apes.ownerOf(tokens[1]), dave);
        assertFalse(
            delegates.checkDelegateForERC721(hot, address(pool), address(apes), tokens[1], ""),
            "the legacy loan's delegation is revoked"
        );
        vm.prank(dave);
        pool.repay(ids[3], type(uint256).max);
        assertEq(apes.ownerOf(tokens[3]), dave, "the partly repaid legacy loan closes");
        _buy(buyer, ids[2]);
        assertEq(punks.ownerOf(tokens[2]), buyer, "the auction started under 0.3 sells under 0.4");

        // New loans continue the id sequence, in two slots.
        (uint256 next, uint256 tokenId) = _borrow(carol, apes, PRINCIPAL, 30 days);
        assertEq(next, before.nextLoanId, "ids continue");
        assertEq(pool.nextLoanId(), next + 1);
        assertEq(pool.loan(next).tokenId, tokenId);
        assertEq(pool.loan(next).collection, address(apes));
        assertEq(
            uint256(vm.load(address(pool), bytes32(uint256(keccak256(abi.encode(next, POOL_BASE + 14))) + 1))) >> 248,
            LoanStore.INLINE
        );
        // Lenders: one-call deposit and redemption under the new vaults, at the books' prices.
        uint256 shares = _deposit(Tranche.Senior, bob, 10_000 * USDC);
        assertGt(shares, 0);
        vm.prank(bob);
        uint256 paid = senior.redeem(shares, bob, bob);
        assertApproxEqAbs(paid, 10_000 * USDC, 1, "a round trip at the same price");
        assertEq(pool.trancheValue(Tranche.Senior) + pool.trancheValue(Tranche.Junior), pool.nav());
        assertEq(senior.totalSupply(), _supply(Tranche.Senior), "share ledgers agree");
        assertEq(junior.totalSupply(), _supply(Tranche.Junior));
    }

    /// @dev SPEC §8.6's order: the pool first. Until the vaults follow, their 0.3 code works against the 0.4 pool (the
    ///      same selectors; the pool's new return values are ignored). The 0.3 liquidator's settlement calls are gone
    ///      from the 0.4 pool (issue #30: the pool delivers the token): a sale reverts with nothing moved until the
    ///      liquidator follows, in the same batch, and then goes through.
    function test_poolUpgradedFirst_theV03VaultsKeepWorking_andASaleWaitsForTheLiquidator() public {
        _liveBook();
        Books memory before = _books();
        address poolImpl = deployCode("StrataPool.sol:StrataPool", abi.encode(_wiringOf(pool)));
        vm.prank(gov);
        UUPSUpgradeable(address(pool)).upgradeToAndCall(poolImpl, "");
        assertEq(keccak256(abi.encode(_books())), keccak256(abi.encode(before)), "every book reads the same");
        uint256 shares = _deposit(Tranche.Senior, bob, 10_000 * USDC);
        vm.prank(bob);
        assertApproxEqAbs(senior.redeem(shares, bob, bob), 10_000 * USDC, 1, "0.3 vault, 0.4 pool: a round trip");
        _fund(buyer, 1_000_000 * USDC);
        vm.startPrank(buyer);
        usdc.approve(address(liquidator), type(uint256).max);
        uint256 cash = pool.cash();
        vm.expectRevert();
        liquidator.buy(ids[2], type(uint256).max);
        vm.stopPrank();
        assertEq(punks.ownerOf(tokens[2]), address(liquidator), "0.3 liquidator, 0.4 pool: nothing moved");
        assertEq(pool.cash(), cash);
        assertEq(uint256(pool.loan(ids[2]).status), uint256(LoanStatus.Liquidating));
        // A liquidation the 0.3 liquidator starts against the 0.4 pool keeps the token in the pool, flagged.
        vm.warp(pool.loan(ids[0]).maturity + 30 days);
        vm.prank(keeper);
        liquidator.liquidate(ids[0]);
        assertEq(apes.ownerOf(tokens[0]), address(pool), "0.3 liquidator, 0.4 pool: the token stays in the pool");
        bytes32 word = vm.load(address(pool), bytes32(uint256(keccak256(abi.encode(ids[0], POOL_BASE + 14))) + 1));
        assertEq(uint256(word) >> 248, LoanStore.LEGACY | LoanStore.POOL_HELD);
        address liqImpl = deployCode(
            "DutchAuctionLiquidator.sol:DutchAuctionLiquidator",
            abi.encode(IStrataPool(address(pool)), usdc_(), registry)
        );
        vm.prank(gov);
        UUPSUpgradeable(address(liquidator)).upgradeToAndCall(liqImpl, "");
        _buy(buyer, ids[2]);
        assertEq(punks.ownerOf(tokens[2]), buyer, "the 0.4 liquidator delivers the token the 0.3 one holds");
        _buy(buyer, ids[0]);
        assertEq(apes.ownerOf(tokens[0]), buyer, "and the pool the token it kept");
        assertEq(apes.balanceOf(address(liquidator)) + punks.balanceOf(address(liquidator)), 0);
        assertEq(senior.totalSupply(), _supply(Tranche.Senior));
        // Until the registry follows and fills the pool's copy, a borrow is refused, with nothing moved.
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, address(apes)));
        pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof());
        assertEq(apes.ownerOf(tokenId), carol);
    }

    /// @dev Issue #30's one share ledger over a vault upgraded from 0.3: the 0.3 vault kept its own ERC-20 supply
    ///      (OpenZeppelin's `_totalSupply`), equal to the pool's at the upgrade; after it, `totalSupply` is the pool's
    ///      ledger and that slot is frozen (never written, never read). Every lender path and the conversions follow
    ///      the pool's figure as it moves away from the frozen one.
    function test_upgradeFromV03_oneShareLedger_theFrozenSupplyIsNeverReadAgain() public {
        _liveBook();
        uint256 seniorAtUpgrade = _supply(Tranche.Senior);
        uint256 juniorAtUpgrade = _supply(Tranche.Junior);
        assertGt(seniorAtUpgrade, 0);
        assertEq(_frozen(senior), seniorAtUpgrade, "0.3 kept its own supply, equal to the pool's");
        assertEq(_frozen(junior), juniorAtUpgrade);
        _upgrade();
        assertEq(senior.totalSupply(), seniorAtUpgrade, "the same figure, now the pool's");
        assertEq(junior.totalSupply(), juniorAtUpgrade);
        _assertOneLedger();

        _fund(lender, 200_000 * USDC);
        vm.startPrank(lender);
        usdc.approve(address(senior), type(uint256).max);
        usdc.approve(address(junior), type(uint256).max);
        uint256 expected = senior.previewDeposit(50_000 * USDC);
        assertEq(senior.deposit(50_000 * USDC, lender), expected, "deposit: previewDeposit at the pool's supply");
        expected = senior.previewMint(1e16);
        assertEq(senior.mint(1e16, lender), expected, "mint: previewMint");
        expected = junior.previewDeposit(20_000 * USDC);
        assertEq(junior.deposit(20_000 * USDC, lender), expected, "junior deposit");
        vm.stopPrank();
        _assertOneLedger();
        vm.startPrank(bob);
        expected = senior.previewWithdraw(20_000 * USDC);
        assertEq(senior.withdraw(20_000 * USDC, bob, bob), expected, "withdraw: previewWithdraw");
        expected = senior.previewRedeem(3e16);
        assertEq(senior.redeem(3e16, bob, bob), expected, "redeem: previewRedeem");
        vm.stopPrank();
        _assertOneLedger();

        // A junior exit through the queue, once the auction running at the upgrade has settled and its hold's
        // cooldown passed: request, notice, service (burned from the pool's supply), claim.
        _buy(buyer, ids[2]);
        vm.warp(block.timestamp + 1 days + 1);
        vm.prank(alice);
        uint256 id = junior.requestRedeem(1e16, alice, alice);
        vm.warp(block.timestamp + junior.noticePeriod());
        assertEq(junior.processQueue(5), 1, "served");
        uint256 claimable = junior.claimableRedeemRequest(id, alice);
        assertEq(claimable, 1e16);
        vm.prank(alice);
        assertGt(junior.redeem(claimable, alice, alice), 0, "claimed");
        _assertOneLedger();

        assertEq(_frozen(senior), seniorAtUpgrade, "frozen: never written after the upgrade");
        assertEq(_frozen(junior), juniorAtUpgrade);
        assertTrue(senior.totalSupply() != seniorAtUpgrade, "the pool's figure has moved away from the frozen one");
        assertTrue(junior.totalSupply() != juniorAtUpgrade);
    }

    /// @dev Each vault's `totalSupply` is the pool's supply, held by the lenders and the vault (pending shares) only,
    ///      and its ERC-4626 conversions price at it.
    function _assertOneLedger() internal view {
        TrancheVault[2] memory vaults = [senior, junior];
        for (uint256 t; t < 2; ++t) {
            TrancheVault v = vaults[t];
            (uint256 pending, uint256 supply) = pool.queueState(Tranche(t));
            assertEq(v.totalSupply(), supply, "totalSupply is the pool's ledger");
            assertEq(v.balanceOf(address(v)), pending, "the vault holds the pending shares");
            assertEq(
                v.balanceOf(alice) + v.balanceOf(bob) + v.balanceOf(lender) + pending, supply, "the holders hold it"
            );
            uint256 value = pool.trancheValue(Tranche(t));
            assertEq(v.convertToAssets(1e18), Math.mulDiv(1e18, value + 1, supply + 1e6), "convertToAssets");
            assertEq(v.convertToShares(1e9), Math.mulDiv(1e9, supply + 1e6, value + 1), "convertToShares");
        }
    }

    /// @dev OpenZeppelin's `ERC20Storage._totalSupply` (namespace `openzeppelin.storage.ERC20`, offset 2).
    function _frozen(TrancheVault v) internal view returns (uint256) {
        return uint256(vm.load(address(v), bytes32(uint256(OZ_ERC20) + 2)));
    }

    function _supply(Tranche t) internal view returns (uint256 supply) {
        (, supply) = pool.queueState(t);
    }

    // keccak256(abi.encode(uint256(keccak256("openzeppelin.storage.ERC20")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant OZ_ERC20 = 0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00;
}

