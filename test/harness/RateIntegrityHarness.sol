// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RateIntegrity, RateState} from "../../src/interest/RateIntegrity.sol";

/// @notice Exposes `RateIntegrity` on its own storage slot for unit tests.
contract RateIntegrityHarness {
    RateState internal r;

    function setWindow(uint256 w) external {
        r.window = uint24(w);
    }

    function sync(uint256 principal, uint256 available) external {
        RateIntegrity.sync(r, principal, available);
    }

    function syncGas(uint256 principal, uint256 available) external returns (uint256 used) {
        used = gasleft();
        RateIntegrity.sync(r, principal, available);
        used -= gasleft();
    }

    function current(uint256 principal, uint256 available) external view returns (uint256 u, uint256 inv) {
        return RateIntegrity.current(r, principal, available);
    }

    function state() external view returns (RateState memory) {
        return r;
    }

    function txStartCash(uint256 available) external view returns (uint256) {
        return RateIntegrity.txStartCash(available);
    }

    function pricing(
        uint256 u,
        uint256 inv,
        uint256 startCash,
        uint256 totalPrincipal,
        uint256 available,
        uint256 principal,
        uint256 cashOut
    ) external pure returns (uint256) {
        return RateIntegrity.pricingUtilization(u, inv, startCash, totalPrincipal, available, principal, cashOut);
    }

    function inverseTotal(uint256 total) external pure returns (uint256) {
        return RateIntegrity.inverseTotal(total);
    }
}
