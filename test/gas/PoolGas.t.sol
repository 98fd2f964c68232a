// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MockCollection} from "../mocks/MockCollection.sol";
import {GasCeilings} from "./GasCeilings.sol";
import {GasTestBase} from "./GasTestBase.sol";

/// @notice Gas of each loan operation (SPEC §10, snapshots/pool.json), measured as the first call of its transaction in
///         a warm pool: lenders, loans in both collections, a fresh price, and a borrower who has borrowed before.
contract PoolGasTest is GasTestBase {
    function _group() internal pure override returns (string memory) {
        return "pool";
    }

    uint256 internal loanId;
    uint256 internal nextApe;
    MockCollection internal gems;
    uint256 internal firstGem;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * U, 400_000 * U);
        _borrow(dave, apes, 30_000 * U, 30 days);
        _borrow(dave, punks, 10_000 * U, 30 days);
        // A loan with a delegate: the registry has served the pool before (SPEC §10.1, warm).
        uint256 daveApe = _mintNft(apes, dave);
        vm.prank(dave);
        pool.borrow(address(apes), daveApe, 10_000 * U, 30 days, type(uint256).max, _noProof(), makeAddr("hot"));
        (loanId,) = _borrow(carol, apes, 40_000 * U, 30 days);
        nextApe = _mintNft(apes, carol);
        // A third listed collection with a price and no loan yet.
        gems = new MockCollection("Gems", "GEM");
        vm.startPrank(gov);
        oracle.configureCollection(address(gems), 0, 5000, 1 days);
        registry.configureCollection(address(gems), _paramsA());
        vm.stopPrank();
        firstGem = _mintNft(gems, carol);
        _fund(carol, 100_000 * U);
        vm.warp(block.timestamp + 10 days);
        _pushPrice(address(apes), _floorA());
        _pushPrice(address(punks), _floorB());
        _pushPrice(address(gems), _floorA());
    }

    function test_gas_borrow() public {
        vm.prank(carol);
        pool.borrow(address(apes), nextApe, 40_000 * U, 30 days, type(uint256).max, _noProof());
        assertLe(vm.snapshotGasLastCall(_gasGroup(), "borrow"), GasCeilings.BORROW, "borrow: SPEC 10.3 ceiling");
    }

    function test_gas_borrow_with_delegate() public {
        vm.prank(carol);
        pool.borrow(address(apes), nextApe, 40_000 * U, 30 days, type(uint256).max, _noProof(), makeAddr("hot"));
        assertLe(
            vm.snapshotGasLastCall(_gasGroup(), "borrow_with_delegate"),
            GasCeilings.BORROW_WITH_DELEGATE,
            "borrow_with_delegate: SPEC 10.3 ceiling"
        );
    }

    function test_gas_set_delegate() public {
        vm.prank(carol);
        pool.setDelegate(loanId, makeAddr("hot"));
        vm.snapshotGasLastCall(_gasGroup(), "set_delegate");
    }

    function test_gas_borrow_first_in_collection() public {
        vm.prank(carol);
        pool.borrow(address(gems), firstGem, 40_000 * U, 30 days, type(uint256).max, _noProof());
        vm.snapshotGasLastCall(_gasGroup(), "borrow_first_in_collection");
    }

    function test_gas_repay() public {
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        assertLe(vm.snapshotGasLastCall(_gasGroup(), "repay"), GasCeilings.REPAY, "repay: SPEC 10.3 ceiling");
    }

    function test_gas_repay_partial() public {
        vm.prank(carol);
        pool.repay(loanId, 10_000 * U);
        vm.snapshotGasLastCall(_gasGroup(), "repay_partial");
    }

    function test_gas_extend() public {
        vm.prank(carol);
        pool.extend(loanId, 30 days, type(uint256).max);
        vm.snapshotGasLastCall(_gasGroup(), "extend");
    }
}

/// @notice The same figures over an 18-decimal asset (SPEC §10.3: the ceilings hold for 6- and 18-decimal assets).
contract PoolGas18Test is PoolGasTest {
    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }
}
