// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

/// @title Governed
/// @notice Access control shared by every Strata contract (SPEC §8): one `governance` address (the
///         `TimelockController`) holds every admin and upgrade right; any number of guardians may pause new risk and
///         nothing else. Governance moves in two steps (`transferGovernance` then `acceptGovernance`) so a typo can
///         never brick a contract. Storage is ERC-7201 namespaced.
abstract contract Governed is Initializable {
    /// @custom:storage-location erc7201:strata.storage.Governed
    struct GovernedStorage {
        address governance;
        address pendingGovernance;
        mapping(address account => bool) guardians;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.Governed")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant GOVERNED_STORAGE = 0xfe57a6b560a75cd98d4748dda12d57c20c0ff1fd15133f65b657e0600473d600;

    /// @notice The caller is not the governance address.
    error NotGovernance(address caller);
    /// @notice The caller is neither a guardian nor governance.
    error NotGuardian(address caller);
    /// @notice The caller is not the pending governance address.
    error NotPendingGovernance(address caller);
    /// @notice An address parameter that must be set is zero.
    error ZeroAddress();

    /// @notice Emitted when governance proposes a successor.
    event GovernanceTransferStarted(address indexed previousGovernance, address indexed newGovernance);
    /// @notice Emitted when the governance address changes (including at initialization, from zero).
    event GovernanceTransferred(address indexed previousGovernance, address indexed newGovernance);
    /// @notice Emitted when a guardian is added (`enabled`) or removed, with its previous state.
    event GuardianSet(address indexed guardian, bool wasEnabled, bool enabled);

    /// @dev The check runs in one internal function (`_onlyGovernance`), not inlined into each guarded function:
    ///      the pool has nine of them (issue #30, bytecode room).
    modifier onlyGovernance() {
        _onlyGovernance();
        _;
    }

    /// @dev SPEC §8: a guardian or governance may pause (`paused == true`); only governance may unpause.
    modifier onlyPauser(bool paused) {
        _onlyPauser(paused);
        _;
    }

    function _onlyGovernance() internal view {
        if (msg.sender != _governedStorage().governance) revert NotGovernance(msg.sender);
    }

    function _onlyPauser(bool paused) internal view {
        GovernedStorage storage $ = _governedStorage();
        if (msg.sender != $.governance) {
            if (!paused) revert NotGovernance(msg.sender);
            if (!$.guardians[msg.sender]) revert NotGuardian(msg.sender);
        }
    }

    // OpenZeppelin's `__Name_init` initializer naming convention.
    // solhint-disable-next-line func-name-mixedcase
    function __Governed_init(address governance_, address guardian_) internal onlyInitializing {
        if (governance_ == address(0)) revert ZeroAddress();
        _governedStorage().governance = governance_;
        emit GovernanceTransferred(address(0), governance_);
        if (guardian_ != address(0)) {
            _governedStorage().guardians[guardian_] = true;
            emit GuardianSet(guardian_, false, true);
        }
    }

    /// @notice The governance address (the timelock).
    function governance() public view returns (address) {
        return _governedStorage().governance;
    }

    /// @notice The address that may accept governance, if a transfer is under way.
    function pendingGovernance() external view returns (address) {
        return _governedStorage().pendingGovernance;
    }

    /// @notice Whether `account` may pause.
    function isGuardian(address account) public view returns (bool) {
        return _governedStorage().guardians[account];
    }

    /// @notice Starts a governance transfer to `newGovernance`, who must call `acceptGovernance`.
    /// @dev Only governance. Passing zero cancels a pending transfer.
    function transferGovernance(address newGovernance) external onlyGovernance {
        _governedStorage().pendingGovernance = newGovernance;
        emit GovernanceTransferStarted(msg.sender, newGovernance);
    }

    /// @notice Completes a governance transfer. Only the pending governance address.
    function acceptGovernance() external {
        GovernedStorage storage $ = _governedStorage();
        if (msg.sender != $.pendingGovernance) revert NotPendingGovernance(msg.sender);
        emit GovernanceTransferred($.governance, msg.sender);
        $.governance = msg.sender;
        $.pendingGovernance = address(0);
    }

    /// @notice Adds or removes a guardian. Only governance.
    function setGuardian(address guardian, bool enabled) external onlyGovernance {
        if (guardian == address(0)) revert ZeroAddress();
        emit GuardianSet(guardian, _governedStorage().guardians[guardian], enabled);
        _governedStorage().guardians[guardian] = enabled;
    }

    function _governedStorage() private pure returns (GovernedStorage storage $) {
        assembly {
            $.slot := GOVERNED_STORAGE
        }
    }
}
