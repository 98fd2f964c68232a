// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AppraisalOracle} from "../../src/oracle/AppraisalOracle.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Gas of a reporter's price push (SPEC §6, §10; snapshots/pool.json `push_price`): a warm push, 10 minutes
///         after the previous one, into a 1-day TWAP window. Moved here from test/oracle/AppraisalOracle.t.sol so that
///         `forge test --match-path 'test/gas/*'` (npm run bench:gas) writes every pool.json figure.
contract OracleGasTest is Test {
    address internal gov = makeAddr("governance");
    address internal guardian = makeAddr("guardian");
    address internal reporter = makeAddr("reporter");
    address internal collection = makeAddr("collection");

    AppraisalOracle internal impl;
    AppraisalOracle internal oracle;

    function setUp() public {
        vm.warp(1_700_000_000);
        impl = AppraisalOracle(deployCode("AppraisalOracle.sol:AppraisalOracle"));
        oracle = AppraisalOracle(
            address(new ERC1967Proxy(address(impl), abi.encodeCall(AppraisalOracle.initialize, (gov, guardian))))
        );
        vm.startPrank(gov);
        oracle.setReporter(reporter, true);
        oracle.configureCollection(collection, 1 days, 1000, 2 hours);
        vm.stopPrank();
    }

    function test_gas_pushPrice() public {
        vm.prank(reporter);
        oracle.pushPrice(collection, 1000e18);
        vm.warp(block.timestamp + 10 minutes);
        // a real push is its own transaction: the proxy's and implementation's storage and code start cold
        vm.cool(address(oracle));
        vm.cool(address(impl));
        vm.prank(reporter);
        oracle.pushPrice(collection, 1010e18);
        vm.snapshotGasLastCall("pool", "push_price");
        assertEq(oracle.collectionInfo(collection).value, 1000e18 + uint256(10e18) * 600 / 86_400);
    }
}
