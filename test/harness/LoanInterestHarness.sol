// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LoanInterest} from "../../src/interest/LoanInterest.sol";

/// @notice Exposes LoanInterest externally, for forge tests and for the SDK's exact-equality tests against a chain.
contract LoanInterestHarness {
    /// @notice `LoanInterest.loanRate`.
    function loanRate(uint256 principal, uint256 aprWad) external pure returns (uint256) {
        return LoanInterest.loanRate(principal, aprWad);
    }

    /// @notice `LoanInterest.interest`.
    function interest(uint256 principal, uint256 aprWad, uint256 elapsed) external pure returns (uint256) {
        return LoanInterest.interest(principal, aprWad, elapsed);
    }

    /// @notice `LoanInterest.accrued`.
    function accrued(uint256 rateSum, uint256 rateTimeSum, uint256 t) external pure returns (uint256) {
        return LoanInterest.accrued(rateSum, rateTimeSum, t);
    }
}
